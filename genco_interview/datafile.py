"""The YAML loader for genco's data files (rubrics, calibrations, the lexicon, the combination).

libyaml's loader when PyYAML was built with it: the same safe loading, in a fifth of the time,
which a one-shot `genco score` pays for every file it reads. PyYAML's own loader otherwise.
"""

from __future__ import annotations

import yaml

SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
