"""Scrub OAuth and token query values from every log line the hub writes.

JupyterHub scrubs its own request log (token, code, state → [secret]) but tornado's warning for
a refused request (`403 GET /hub/api/oauth2/authorize?...&state=...`, logged by
tornado.general) prints the full URI. This filter applies the same scrubbing to those loggers.
"""
import logging
import re

SECRET_PARAM = re.compile(r'([?&](?:token|access_token|code|state|_xsrf)=)(?!\[secret\])[^&\s]+')


class ScrubSecrets(logging.Filter):
    def filter(self, record):
        msg = record.getMessage()
        scrubbed = SECRET_PARAM.sub(r'\1[secret]', msg)
        if scrubbed != msg:
            record.msg, record.args = scrubbed, ()
        return True


def install(names=('tornado.general', 'tornado.access', 'tornado.application', 'JupyterHub')):
    for name in names:
        logging.getLogger(name).addFilter(ScrubSecrets())
