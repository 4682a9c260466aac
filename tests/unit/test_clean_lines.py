"""The boilerplate line filter: seed boilerplate goes, seed content stays, invented variants too."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workers.clean import clean_text, filter_boilerplate_lines, is_boilerplate_line
from workers.clean.lines import boilerplate_indices, caption_stem
from workers.errors import CleanError

EVAL_DIR = Path(os.environ.get("TOLLWATCH_EVAL_DIR", Path(__file__).parents[3] / "shared/eval"))
SEEDS_GOLD = EVAL_DIR / "seeds-gold.json"
needs_gold = pytest.mark.skipif(not SEEDS_GOLD.is_file(), reason=f"{SEEDS_GOLD} not present")


def _seed_articles() -> list[dict[str, object]]:
    if not SEEDS_GOLD.is_file():
        return []
    articles: list[dict[str, object]] = json.loads(SEEDS_GOLD.read_text())["articles"]
    return articles


@needs_gold
@pytest.mark.parametrize("article", _seed_articles(), ids=lambda a: str(a["id"]))
def test_seed_boilerplate_lines_are_exactly_the_ones_dropped(article: dict) -> None:
    lines = article["text"].split("\n")
    dropped = {i + 1 for i in boilerplate_indices(lines)}
    assert dropped == {entry["line"] for entry in article["boilerplate_lines"]}


@needs_gold
@pytest.mark.parametrize("article", _seed_articles(), ids=lambda a: str(a["id"]))
def test_clean_text_of_a_seed_is_its_gold_main_text(article: dict) -> None:
    cleaned = clean_text(article["text"])
    assert cleaned.title == article["title"]
    got = [line for line in cleaned.document.splitlines() if line.strip()]
    want = [line for line in article["main_text"].splitlines() if line.strip()]
    assert got == want


BOILERPLATE = [
    "Please enter your comment!",
    "Please enter a valid email address",
    "You have entered an incorrect email address!",
    "Leave a Reply",
    "Leave a comment",
    "Cancel reply",
    "Your email address will not be published. Required fields are marked *",
    "Save my name, email, and website in this browser for the next time I comment.",
    "12,301 views 17 comment(s)",
    "1.2K shares | 30 comments",
    "3 Comments",
    "Gaza City, Photo: AFP",
    "Kharkiv photo: Reuters",
    "Credit: (Anadolu Agency)",
    "Photo credit: Getty Images",
    "Image copyright Getty Images",
    "Smoke rises over the city after the shelling (AP Photo/Jane Roe)",
    "Rescuers search the rubble. REUTERS/John Smith",
    "Disclaimer: this article reflects the author's views only.",
    "This article was automatically translated by an AI tool and may contain errors.",
    "The translations are mostly done through machine translation and may not be accurate.",
    "Bonus video:",
    "Watch video",
    "Latest",
    "Read more",
    "READ MORE:",
    "Read more: Ceasefire talks stall as aid trucks wait at the border",
    "[Related: Floods displace thousands in the south]",
    "Related Articles",
    "ADVERTISEMENT",
    "Advertisement - Scroll to continue",
    "Share this:",
    "Facebook Twitter WhatsApp Email",
    "Sign up for our daily newsletter to get the latest headlines in your inbox",
    "We use cookies to improve your experience. By continuing to use this site you agree.",
    "Filed under: Middle East |",
    "Tags: Yemen, Aden, airstrikes",
    "5 min read",
    "Reading time: 3 minutes",
    "reporter.name@example.com",
    "- Story continues below advertisement",
]

CONTENT = [
    "At least 12 people were killed and 30 wounded in the strike, officials said.",
    "The army said it had recaptured several towns seized by rebels in recent days",
    "Sources from the Syrian army: Pro-Iranian militias entered the country from Iraq",
    "Intensified Airstrikes in Idlib",
    "Aleppo",
    "Reuters said it could not independently confirm reports on the battlefield.",
    "GAZA (Reuters) - Israeli strikes killed 9 people overnight, medics said.",
    "The photo showed the aftermath: rubble, burned cars and a crowd of rescuers.",
    "Comment is free, the editor wrote, but facts are sacred.",
    "More than 40 civilians were injured, according to the health ministry.",
    "Latest figures from the ministry put the toll at 57.",
    "Read the full statement below.",
    "Share prices fell 3 percent on Monday.",
    "He said the translation of the ceasefire text into Arabic was delayed.",
    "Watch commanders said the border post came under fire twice.",
    "The death toll rose to 8, including 3 children, the White Helmets said.",
    "Sign up took weeks, aid workers said, as families queued in the cold.",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_invented_boilerplate_variants_are_dropped(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", CONTENT)
def test_article_sentences_and_headings_are_kept(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_caption_repeated_with_glued_credit_goes_with_it() -> None:
    text = "Intro paragraph.\n\nKyiv\nKyivphoto: AFP\n\nKyiv was hit again.\n\nKyiv"
    assert filter_boilerplate_lines(text) == "Intro paragraph.\n\nKyiv was hit again.\n\nKyiv"


def test_caption_stem_of_credit_lines() -> None:
    assert caption_stem("Aleppophoto: Reuters") == "Aleppo"
    assert caption_stem("Idlib, Photo: Reuters") == "Idlib"
    assert caption_stem("Crowds gather (AP Photo/Jane Roe)") == "Crowds gather"
    assert caption_stem("Residents fled north, and/or Eastwards") is None


def test_filter_collapses_blank_runs_and_trims() -> None:
    text = "\n\nFirst.\n\n\n\nLeave a Reply\n\nSecond.\n\n\n"
    assert filter_boilerplate_lines(text) == "First.\n\nSecond."


def test_clean_text_needs_a_title_and_a_body() -> None:
    with pytest.raises(CleanError):
        clean_text("   \n\n")
    with pytest.raises(CleanError):
        clean_text("A title\n\nPlease enter your comment!\nLatest\n")


def test_clean_text_keeps_the_given_publication_time() -> None:
    when = datetime(2024, 12, 1, 6, 30, tzinfo=UTC)
    cleaned = clean_text("Title\n\nBody line.", published=when)
    assert (cleaned.title, cleaned.text, cleaned.published) == ("Title", "Body line.", when)
