"""gunicorn settings read from the project root (any gunicorn command run here).

Readers may be at risk if anyone learns what they read, so the access log keeps
only what running the site needs: time, method, path without its query string
(no search words), status, size and duration. No IP address, referrer or
browser.
"""

access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Bounded, so a huge request line cannot tie a worker up. 8190 is the most
# gunicorn allows short of "unlimited"; a search pasted into the box is still
# answered by the site (it uses the first words), and handouts have short
# addresses. A proxy in front should allow at least as much (nginx:
# large_client_header_buffers 4 16k).
limit_request_line = 8190
# A worker stuck longer than this is restarted; the database deadline
# (DATABASE_TIMEOUT) answers well before.
timeout = 30
# A line break or other control character in the address is written as an
# escape (\x0d), so a request cannot add a line of its own to the log.
logger_class = "config.logs.AccessLogger"
