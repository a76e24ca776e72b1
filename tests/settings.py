"""Settings for the test suite: the project's settings with tests' safe overrides."""

import os
import tempfile

os.environ.setdefault("SANGATHAN_TESTING", "1")
os.environ.setdefault("SANGATHAN_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("SANGATHAN_VAR_DIR", tempfile.mkdtemp(prefix="sangathan-test-"))

from sangathan.settings import *  # noqa: E402,F403

AXES_FAILURE_LIMIT = 5
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 — whitenoise warns on every request otherwise
