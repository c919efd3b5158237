"""The model in the loop: suggestions learned from the team's own labels, and pattern rules (pure, no Qt).

Why a package of its own: the phrase matcher (:mod:`annotator.core.suggestions`) only re-finds quotes
already tagged, so "worked 16 hours a day" is not offered after "worked 14 hours a day" was. Here:

* :mod:`.features` — what a token looks like to the model (word, shape, prefix/suffix, ±3 tokens of
  context) over our own tokenizer (:mod:`annotator.core.tokenize`), so offsets stay exact code points;
* :mod:`.tagger` — one linear-chain CRF per label (python-crfsuite, the optional ``annotator[model]``
  extra), BIO tags, so overlapping spans of different labels are learnable; training, suggesting with
  a score, the certainty figures active learning orders documents by, and the model's bytes;
* :mod:`.evaluation` — the held-out split by documents (deterministic seed), per-label overlap
  precision/recall/F1 and the learning curve;
* :mod:`.patterns` — regular-expression and Prodigy ``patterns.jsonl`` token/phrase rules for a cold start.

Only :mod:`.tagger` needs python-crfsuite, and it imports it when asked: without the extra the app runs,
and :func:`.tagger.unavailable_reason` gives the one line the UI and the CLI show instead.
"""
