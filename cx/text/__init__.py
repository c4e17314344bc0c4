"""What people write: masking personal data, language, tokens, topics and distinguishing terms.

The steps run once, when comments are stored (:mod:`cx.text.pipeline`); pages read the summary
cells built from them (``topic_cells``, ``term_cells``) and a bounded sample of comments.

- :mod:`cx.text.mask`: e-mail addresses, phone numbers and card/ID-like numbers replaced
  before anything is stored or shown;
- :mod:`cx.text.language`: the language of each comment (lingua, four languages);
- :mod:`cx.text.tokens`: words per language (jieba for Chinese, simplemma lemmas, stop words);
- :mod:`cx.text.topics`: the editable taxonomy of ``data/topics.csv`` matched on each comment;
- :mod:`cx.text.discover`: frequent themes the taxonomy misses (NMF on TF-IDF), as candidates;
- :mod:`cx.text.distinguish`: terms over-represented among detractors or promoters
  (log-odds ratio with an informative Dirichlet prior, Monroe, Colaresi & Quinn 2008);
- :mod:`cx.text.summary`: topic shares, NPS impact and terms from the summary cells.
"""
