"""``budget-report serve``: the same steps as the command line, as local web pages.

For staff who never open a terminal: download a blank workbook, upload a filled one, read the
findings, generate the documents and mail them, all in Chinese pages served by this machine.

Layers (each a small module):

* ``command``  -- the ``serve`` sub-command's options; imports nothing heavy, so ``--help`` and the
  other commands work without the optional ``web`` extra installed.
* ``server``   -- binds the socket (loopback unless told otherwise, with an access code then), runs
  uvicorn, opens the browser.
* ``app``      -- the Starlette application: routes, error pages, the session and access guard.
* ``sessions`` -- one private temporary folder per browser session, removed at session end, after
  an idle timeout, and at shutdown.
* ``uploads``  -- streaming multipart parsing straight into the session folder, with size limits.
* ``work``     -- the calls into the application (pipeline, templates, carry-over), run in worker
  processes so that a long build never blocks the pages and a crash never takes the server down.
* ``pages``    -- one handler group per step; ``templates/`` and ``static/`` are shipped as package
  data (no CDN: the pages work without internet).

Nothing here is imported by the rest of the application.
"""
