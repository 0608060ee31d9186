"""python-dotenv's own reading of .env files, as Meltano does it
(meltano/core/project.py::dotenv_env -> dotenv.dotenv_values): one JSON object per file
argument, on its own line, with the environment of the test (no TAP_GOOGLEADS_* set)."""
import json
import sys

from dotenv import dotenv_values

for path in sys.argv[1:]:
    print(json.dumps(dotenv_values(path)))
