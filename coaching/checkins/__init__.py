"""Check-ins in plain words, and the warnings a good coach gives about progress.

Pure, like the rest of ``coaching``: text and numbers in, typed values out. The Slack side
shows what was understood and stores nothing until the person confirms.
"""

from coaching.checkins.phrases import CheckInDraft, KeyResultRef, KeyResultUpdate, read_check_in

__all__ = ["CheckInDraft", "KeyResultRef", "KeyResultUpdate", "read_check_in"]
