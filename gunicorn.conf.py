"""gunicorn settings read from the project root (any gunicorn command run here).

Readers may be at risk if anyone learns what they read, so the access log keeps
only what running the site needs: time, method, path without its query string
(no search words), status, size and duration. No IP address, referrer or
browser.
"""

access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# A reader may paste a whole page into the search box: the site answers with a
# note that only the first words were used, not gunicorn's bare 414 for request
# lines over 4 KB. 0 lifts the 4 KB limit; gunicorn still refuses lines over 1 MB.
limit_request_line = 0
