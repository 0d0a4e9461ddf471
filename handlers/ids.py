"""Every action, callback and block id in one place, shared by builders and registrations."""

from __future__ import annotations

SLASH_COMMAND = "/okr"

# Buttons on a threaded review and on the full review its author sees.
ACTION_SAVE_AS_OKR = "review_save_as_okr"
ACTION_SHOW_DETAILS = "review_show_details"
ACTION_MARK_ROUTINE = "review_mark_routine"
ACTION_USE_REWRITE = "review_use_rewrite"
ACTION_NOT_HELPFUL = "review_not_helpful"
ACTION_SHOW_ALL = "review_show_all"
# Replies posted before the full review moved out of the thread still carry this button.
ACTION_SHOW_REWRITE = "review_show_rewrite"
# Block ids of the buttons, followed by the review id: the full review's and the public reply's.
BLOCK_FULL_REVIEW_ACTIONS = "review_"
BLOCK_PUBLIC_REPLY_ACTIONS = "public_"

# Modals.
VIEW_REVIEW_DRAFT = "review_draft_modal"
VIEW_ADD_OBJECTIVE = "add_objective_modal"
VIEW_CHECKIN = "checkin_modal"
VIEW_REMIND = "remind_modal"

# Check-ins and reminders.
ACTION_OPEN_CHECKIN = "open_checkin"
ACTION_CHECKIN_OBJECTIVE = "checkin_pick_objective"
ACTION_PAUSE_OBJECTIVE = "objective_pause"
ACTION_CLOSE_OBJECTIVE = "objective_close"
ACTION_KEEP_OBJECTIVE = "objective_keep"
ACTION_GRADE_OBJECTIVE = "objective_grade"
VIEW_GRADE = "grade_modal"

# App Home.
ACTION_HOME_ADD = "home_add_objective"
ACTION_HOME_CHECKIN = "home_checkin"
ACTION_HOME_DELETE = "home_delete_objective"
ACTION_HOME_EDIT = "home_edit_objective"

# Check-ins in plain words, and progress warnings.
ACTION_PLAIN_CHECKIN_SAVE = "plain_checkin_save"
ACTION_PLAIN_CHECKIN_EDIT = "plain_checkin_edit"
ACTION_PLAIN_CHECKIN_CANCEL = "plain_checkin_cancel"
BLOCK_PLAIN_CHECKIN = "plain_checkin"
BLOCK_PLAIN_CHECKIN_FORM = "plain_checkin_form"
ACTION_WARNING_NOT_HELPFUL = "warning_not_helpful"
