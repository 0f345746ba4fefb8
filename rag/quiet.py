"""Keep the ML libraries' own chatter (progress bars, notices, warnings) off a command's output.

Called by the entry points (the CLI, `docchat serve`), never on import: a program that uses docchat as a
library keeps whatever logging and progress bars it chose. docchat's own progress bars (ingest, eval) are
plain tqdm and are not affected.
"""

from __future__ import annotations

import logging
import warnings

# Libraries that print loading bars, notices or deprecation warnings nobody using docchat can act on.
NOISY_LIBRARIES = (
    "transformers",
    "sentence_transformers",
    "huggingface_hub",
    "torch",
    "chromadb",
    "bm25s",
)


def quiet_libraries() -> None:
    """Silence the noisy libraries' progress bars, logging below ERROR and Python warnings.

    Importing transformers' logging module costs about a second, which every command here that answers
    or embeds pays anyway (the model is loaded through it).
    """
    module_pattern = r"^(" + "|".join(NOISY_LIBRARIES) + r")(\..*)?$"
    warnings.filterwarnings("ignore", module=module_pattern)
    for name in NOISY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.ERROR)

    # These two keep their own switches (and transformers its own handler and level): set them directly.
    import huggingface_hub.utils as hub_utils
    import transformers.utils.logging as transformers_logging

    hub_utils.disable_progress_bars()
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()  # the "Loading weights 0/103" bar
