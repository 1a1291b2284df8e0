"""``python -m placekit``: the ``placekit`` command, for when its script is not on PATH."""

import sys

from placekit.cli import main

sys.exit(main())
