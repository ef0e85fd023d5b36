"""The web page of sakip-checker (`sakip web`), on the history store.

app.py: the Starlette app (pages, roles and scopes, CSRF, security headers, error pages); accounts.py: accounts,
argon2 password hashes, server-side sessions, login throttling; jobs.py: an upload's kind sniffed from its content
and its evaluation in a worker process with a time limit; cli.py: the `sakip web` and `sakip akun` commands;
demo.py: the bundled examples' OPDs for `--demo`; templates/ and static/: the pages (Indonesian) and their CSS.
Nothing here is imported by the other commands."""
