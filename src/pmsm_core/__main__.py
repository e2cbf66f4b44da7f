"""``python -m pmsm_core`` runs the ``pmsm`` command."""

import sys

from pmsm_core.cli import main

sys.exit(main())
