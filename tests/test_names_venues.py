import pytest

from sysml_bib.model import Person
from sysml_bib.names import looks_like_author_line, parse_authors
from sysml_bib.venues import looks_like_venue_line, parse_venue, split_venue


def people(line):
    return [(p.family, p.given) for p in parse_authors(line).people]


@pytest.mark.parametrize(
    "line, expected, truncated",
    [
        ("Chen, Tianqi, et al.", [("Chen", "Tianqi")], True),
        ("Bailis, Peter, Kunle Olukotun, Christopher Ré, and Matei Zaharia.",
         [("Bailis", "Peter"), ("Olukotun", "Kunle"), ("Ré", "Christopher"), ("Zaharia", "Matei")], False),
        ("Zhihao Jia, Sina Lin, Charles R. Qi, and Alex Aiken.",
         [("Jia", "Zhihao"), ("Lin", "Sina"), ("Qi", "Charles R."), ("Aiken", "Alex")], False),
        ("Lerer, Adam and Wu, Ledell and Shen, Jiajun", [("Lerer", "Adam"), ("Wu", "Ledell"), ("Shen", "Jiajun")], False),
        ("Yeo, H., Jung, Y., Kim, J., Shin, J. and Han, D., 2018.",
         [("Yeo", "H."), ("Jung", "Y."), ("Kim", "J."), ("Shin", "J."), ("Han", "D.")], False),
        ("Canel, C., Kim, T., Andersen, D. G., Kaminsky, M., and Dulloo",
         [("Canel", "C."), ("Kim", "T."), ("Andersen", "D. G."), ("Kaminsky", "M."), ("Dulloo", "")], False),
        ("Minjia Zhang, Samyam Rajbhandari, Wenhan Wang, and Yuxiong He, Microsoft AI and Research",
         [("Zhang", "Minjia"), ("Rajbhandari", "Samyam"), ("Wang", "Wenhan"), ("He", "Yuxiong")], False),
        ("RUBEN MAYER, HANS-ARNO JACOBSEN", [("Mayer", "Ruben"), ("Jacobsen", "Hans-Arno")], False),
        ("Saltzer, Jerome H., David P. Reed, and David D. Clark.",
         [("Saltzer", "Jerome H."), ("Reed", "David P."), ("Clark", "David D.")], False),
        ("Park, Jongsoo, Maxim Naumov, Protonu Basu et al.", [("Park", "Jongsoo"), ("Naumov", "Maxim"), ("Basu", "Protonu")], True),
        ("J Soifer, et al.", [("Soifer", "J")], True),
        ("Ludwig van Beethoven, and Jan de Vries", [("van Beethoven", "Ludwig"), ("de Vries", "Jan")], False),
        ('Ananthanarayanan, Rajagopal, et al. "', [("Ananthanarayanan", "Rajagopal")], True),
    ],
)
def test_author_line_styles(line, expected, truncated):
    assert people(line) == expected
    assert parse_authors(line).truncated is truncated


def test_harvard_date_and_affiliation_are_kept_apart():
    parsed = parse_authors("Kang, Y., Hauswald, J., Mars, J. and Tang, L., 2017, April.")
    assert (parsed.year, parsed.month) == ("2017", 4)
    assert parsed.people[-1] == Person("Tang", "L.")
    assert parse_authors("Minjia Zhang, and Yuxiong He, Microsoft AI and Research").dropped == "Microsoft AI, Research"


def test_hyphenated_initials_are_one_given_name():
    """"Shaofeng H.-C. Jiang" (a badge-style entry of the resolve-scale benchmark): not an author
    line before, so the byline split after "Lingxiao Huang" and the venue was lost."""
    line = "Lingxiao Huang, Shaofeng H.-C. Jiang, Nisheeth K. Vishnoi"
    assert looks_like_author_line(line)
    assert parse_authors(line).people[1] == Person("Jiang", "Shaofeng H.-C.")
    assert looks_like_author_line("J.R.R. Tolkien")


@pytest.mark.parametrize("text", ["Start to watch.", "It is designed to work with TensorFlow, Caffe, PyTorch, MXNet, etc.", "Summary: nice"])
def test_prose_is_not_an_author_line(text):
    assert not looks_like_author_line(text)


@pytest.mark.parametrize(
    "text, kind, name, year",
    [
        ("OSDI 2018", "conference", "USENIX Symposium on Operating Systems Design and Implementation (OSDI)", "2018"),
        ("ICML2019", "conference", "International Conference on Machine Learning (ICML)", "2019"),
        ("ICML 17", "conference", "International Conference on Machine Learning (ICML)", "2017"),
        ("NIPS 18, System for ML", "workshop", "NeurIPS Workshop on System for ML", "2018"),
        ("NeurIPS Systems for ML Workshop 2018", "workshop", "NeurIPS Systems for ML Workshop", "2018"),
        ("ACM HotNets 2016", "workshop", "ACM Workshop on Hot Topics in Networks (HotNets)", "2016"),
        ("TOCS 2012", "journal", "ACM Transactions on Computer Systems", "2012"),
        ("preprint 2017", "preprint", "arXiv", "2017"),
        ("Preprint", "preprint", "arXiv", ""),
        ("On going", "unpublished", "", ""),
        ("ECCS2015", "conference", "ECCS", "2015"),
        ("Second ACM/IEEE Symposium on Edge Computing. ACM, 2017.", "conference", "Second ACM/IEEE Symposium on Edge Computing", "2017"),
        # A known acronym in parentheses names the venue.
        ("2019 {USENIX} Conference on Operational Machine Learning (OpML 19). 2019.", "conference",
         "USENIX Conference on Operational Machine Learning (OpML)", "2019"),
        ("In 2019 {USENIX} Annual Technical Conference ({USENIX}{ATC} 19) (pp. 1049-1062).", "conference",
         "USENIX Annual Technical Conference (USENIX ATC)", "2019"),
        ("11th {USENIX} Workshop on Hot Topics in Cloud Computing (HotCloud 19). 2019.", "workshop",
         "USENIX Workshop on Hot Topics in Cloud Computing (HotCloud)", "2019"),
        ("Workshop on ML Systems (at NeurIPS 2018)", "workshop", "Workshop on ML Systems (at NeurIPS 2018)", "2018"),
        # Acronyms with glued or typographic-apostrophe years, and a track.
        ("NSDI’23", "conference", "USENIX Symposium on Networked Systems Design and Implementation (NSDI)", "2023"),
        ("RTSS'21", "conference", "IEEE Real-Time Systems Symposium (RTSS)", "2021"),
        ("INFOCOM'22 DEMO", "conference", "IEEE International Conference on Computer Communications (INFOCOM), DEMO", "2022"),
        ("FOO'22", "conference", "FOO", "2022"),
        # Free text with the year first and pages after a comma.
        ("In Proceedings of the 18th ACM/IFIP/USENIX Middleware Conference, pp. 109-120. 2017.", "conference",
         "Proceedings of the 18th ACM/IFIP/USENIX Middleware Conference", "2017"),
        ("IEEE Transactions on Circuits and Systems for Video Technology (2019)", "journal",
         "IEEE Transactions on Circuits and Systems for Video Technology", "2019"),
    ],
)
def test_venues(text, kind, name, year):
    venue = parse_venue(text)
    assert (venue.type, venue.name, venue.year) == (kind, name, year)


@pytest.mark.parametrize(
    "text, name, volume, number, pages, year",
    [
        ("IEEE Access 6 (2018): 64270-64277", "IEEE Access", "6", "", "64270--64277", "2018"),
        ("Proceedings of the VLDB Endowment 11.5 (2018): 607-620.", "Proceedings of the VLDB Endowment", "11", "5", "607--620", "2018"),
        ("Applied Sciences 9.1 (2019): 108", "Applied Sciences", "9", "1", "108", "2019"),
    ],
)
def test_google_scholar_journal_form(text, name, volume, number, pages, year):
    venue = parse_venue(text)
    assert (venue.type, venue.name, venue.volume, venue.number, venue.pages, venue.year) == ("journal", name, volume, number, pages, year)


@pytest.mark.parametrize("text", ["NSDI 2023", "ATC'22", "NSDI’23", "INFOCOM'22 DEMO", "arXiv", "arXiv preprint arXiv:2007.05832 (2020).",
                                  "Proceedings of the VLDB Endowment 11.5 (2018): 607-620.",
                                  "In 2019 IEEE International Parallel and Distributed Processing Symposium (IPDPS) (pp. 283-292). IEEE."])
def test_bare_venue_lines_are_recognised(text):
    assert looks_like_venue_line(text)


@pytest.mark.parametrize("text", ["Chen, Tianqi, et al.", "Hong Zhang, Ion Stoica", "Experiments tested on TVM and XLA", "compare with Nexus",
                                  "ResNet50 training"])
def test_author_and_note_lines_are_not_venue_lines(text):
    assert not looks_like_venue_line(text)


def test_affiliations_and_footnote_marks_are_not_authors():
    line = "Hong Zhang (University of Waterloo), Yupeng Tang, Anurag Khandelwal (Yale University, USA), Ion Stoica∗†"
    assert [p.family for p in parse_authors(line).people] == ["Zhang", "Tang", "Khandelwal", "Stoica"]


def test_venue_details_and_split():
    venue = parse_venue("In ACM SIGARCH Computer Architecture News (Vol. 45, No. 1, pp. 615-629). ACM.")
    assert (venue.type, venue.name, venue.volume, venue.number, venue.pages, venue.publisher) == (
        "journal", "ACM SIGARCH Computer Architecture News", "45", "1", "615--629", "ACM")
    assert parse_venue("arXiv preprint arXiv:1811.06965 (2018)").arxiv_id == "1811.06965"
    assert split_venue("Chen, Tianqi, et al. (*OSDI 2018*)") == ("Chen, Tianqi, et al.", "OSDI 2018")
    assert split_venue("Park, Jongsoo et al. *arXiv 2018*") == ("Park, Jongsoo et al.", "arXiv 2018")


def test_a_preprint_tag_with_a_short_year():
    assert (parse_venue("arxiv'25").type, parse_venue("arxiv'25").year) == ("preprint", "2025")
