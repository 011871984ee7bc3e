"""One short entry per insight for Help > What these numbers mean: what it looks at, and what its words mean.

Plain data (id, title, text) so the window's help, the command line and the paper can share it.
"""
from __future__ import annotations

SIGNS = ("How sure is this? Each insight says how sure it is in words. A clear sign: the figures leave little room "
         "for doubt (even the cautious end of the estimate points the same way). Some sign: the figures lean that "
         "way, but not strongly. No sign yet: there are too few figures to tell either way. The numbers behind each "
         "sentence are under \u201cHow sure is this?\u201d on the Insights page.")

ENTRIES: tuple[tuple[str, str, str], ...] = (
    ("anomalies", "Drops and jumps",
     "Each day's outbound clicks and saves against what is usual for that weekday, from the weeks before it. "
     "A day is flagged only when the change is big (a fifth or more) and too big to be day-to-day chance. From "
     "3 weeks of history on a day can be judged, with a wider usual range until there are 8 weeks. It also says "
     "whether most of your Pins moved together (likely Pinterest itself) or only a few."),
    ("goals", "Goals this month",
     "Your monthly goals for outbound clicks, saves or conversions, and where your recent pace (the last 4 weeks) "
     "takes you by the end of the month."),
    ("seasons", "Season planner",
     "People save seasonal ideas weeks before the season. From a year or more of your own figures, the planner "
     "finds the posts, Pins and boards whose clicks or saves rise at the same time every year, and for those "
     "whose rise starts in the next 10 weeks it says when it started and peaked last year and by when to pin "
     "fresh Pins for them (about 6 weeks before). A Pin missing from a month's top list is never counted as 0."),
    ("conversions", "Posts that bring sign-ups and sales",
     "Google Analytics' conversions (key events) per post, joined to the Pins that link to each post. A Pin's "
     "share is an estimate: its post's conversions shared out by the Pins' outbound clicks."),
    ("impressions", "Do impressions bring clicks for you?",
     "Whether Pins (and days) with more impressions also bring more outbound clicks for your account, and two "
     "lists: Pins seen little but clicked a lot (pin them again) and Pins seen a lot but rarely clicked (try a "
     "new image or title)."),
    ("boards", "Boards that bring clicks and saves",
     "Which boards bring more outbound clicks and saves for how often their Pins are seen than your boards do on "
     "average (from the Top Boards table of Pinterest's exports). A board with few impressions is not judged."),
    ("concentration", "How concentrated your clicks are",
     "How much of your outbound clicks come from your top 5 Pins. Over half is a risk: if one fades, your traffic "
     "goes with it."),
    ("age", "New Pins and old Pins",
     "How much new and older Pins bring, and how long a Pin keeps earning, from your exports over time."),
)
