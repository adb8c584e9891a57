"""Long Dutch articles written on the spot, for the size limit and the scaling tests.

Every sentence differs, while the words recur as they do in a real news story, so
TextRank finds links between most sentences: the costly case for a summariser.
"""

from __future__ import annotations

SUBJECTS = ("De gemeente", "Het waterschap", "De provincie", "Een woordvoerder van de bewoners",
            "De wethouder", "Het kabinet", "De vervoerder", "Een onderzoeker van de universiteit")
ACTIONS = ("wil", "onderzoekt", "betaalt", "steunt", "plant", "bespreekt", "bouwt")
THINGS = ("een nieuwe fietsbrug", "extra bushaltes", "een hogere dijk", "een groter zwembad",
          "goedkopere woningen", "een proef met schone bussen", "een betere treinverbinding")
PLACES = ("Zwolle", "Deventer", "Apeldoorn", "Kampen", "Almelo", "Hengelo", "Enschede", "Zutphen", "Assen",
          "Emmen", "Meppel")
REASONS = ("omdat het verkeer toeneemt", "omdat bewoners erom vroegen", "na klachten uit de buurt",
           "omdat de oude regeling afloopt", "na een lange discussie in de raad")


def sentence(n: int) -> str:
    """Sentence *n* of an endless news story; no two of the first million are the same."""
    return (f"{SUBJECTS[n % 8]} {ACTIONS[n // 8 % 7]} {THINGS[n // 56 % 7]} in {PLACES[n % 11]}, "
            f"{REASONS[n % 5]}, voor {n % 89 + 2} miljoen euro.")


def long_article(sentences: int, headline: str = "Plannen voor wegen, water en woningen in het oosten") -> str:
    """A plain-text article: the headline, paragraphs of four sentences, a heading every six paragraphs."""
    blocks = [headline]
    for start in range(0, sentences, 4):
        paragraph = start // 4
        if paragraph and paragraph % 6 == 0:
            blocks.append(f"Deel {paragraph // 6 + 1}: {PLACES[paragraph // 6 % 11]}")
        blocks.append(" ".join(sentence(n) for n in range(start, min(start + 4, sentences))))
    return "\n\n".join(blocks) + "\n"
