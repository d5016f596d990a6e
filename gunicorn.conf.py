"""Settings gunicorn reads from the working directory on every start (image, compose, bench).

gunicorn 25.1 added a control socket, on by default, under $XDG_RUNTIME_DIR or $HOME/.gunicorn:
a second way to add, kill or reload workers. Nothing here uses it, the image's system user has
no home to put it in, and every gunicorn on one host would share the one default path; the
processes are managed by their supervisor (compose, the bench runner) instead.
"""

control_socket_disable = True
