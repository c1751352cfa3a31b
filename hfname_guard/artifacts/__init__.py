"""Facts from a model folder's own files, without loading a single weight.

A name that says ``bert-base`` over a GPT-2, or ``7b`` over 1.1 B parameters, is caught by
reading what the folder declares: ``config.json``, ``adapter_config.json`` and the JSON headers
of its safetensors files, never the tensors themselves, so a 100 GB model costs the same
milliseconds as a small one. Every reader returns its facts (None when the file is absent) and a
list of ``ArtifactProblem``: a broken file is a finding to report, never an exception.

The readers are modules of their own (``artifacts.config``, ``artifacts.safetensors``,
``artifacts.adapter``, ``artifacts.fingerprint``), imported one by one as a folder's files need
them: this package imports none of them.
"""
