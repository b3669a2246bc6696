"""gunicorn settings read from the project root (any gunicorn command run here).

Readers may be at risk if anyone learns what they read, so the access log keeps
only what running the site needs: time, method, path without its query string
(no search words), status, size and duration. No IP address, referrer or
browser.
"""

access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
