# Maintainer shortcuts; each is one documented command.
.PHONY: references check test corpus

# Rebuild references.bib (and its report) by running the real resolver against the
# replay server serving the recorded corpus. Byte-identical on every run.
# --arxiv-title-search: one more arXiv call (beyond the id batch) finds the two papers
# the list gives no arXiv link for and the recorded dblp data has no record of.
# --github-quota 5000: the replay grants the whole list in one run (GitHub allows 60 an hour
# without a token; a real run without GITHUB_TOKEN resolves the rest in later runs).
references:
	python -m sysml_bib.replay --corpus data/recorded --github-quota 5000 -- resolve --refresh --no-progress --arxiv-title-search --out references.bib

# Is references.bib what the list and the recorded lookups give? (no network)
check:
	sysml-bib build --check

test:
	python -m pytest

# Regenerate data/recorded from the shared recorded metadata (maintainers only).
corpus:
	python tools/make_corpus.py --shared ../shared
