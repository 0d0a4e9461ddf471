"""Drafts written for these tests (none taken from any published data), with their labels.

They probe the distinction on kinds of teams the shared data does not cover (sales,
support, people ops, finance, design, a bakery...), to check the coach generalises.
"""

from __future__ import annotations

ROUTINE = "routine"
STRATEGIC = "strategic"

INVENTED: tuple[tuple[str, str], ...] = (
    # Chores and recurring duties, some dressed up with numbers.
    ("Answer all customer chats within 2 minutes", ROUTINE),
    ("Send the Friday newsletter", ROUTINE),
    ("Prepare slides for the monthly business review", ROUTINE),
    ("Reconcile the company credit card statements", ROUTINE),
    ("Run payroll on the 25th of each month", ROUTINE),
    ("Clean up stale tickets in the backlog", ROUTINE),
    ("Organise the team offsite dinner", ROUTINE),
    ("Order new laptops for the March starters", ROUTINE),
    ("Keep the CRM contact list tidy", ROUTINE),
    ("Water the office plants every Tuesday", ROUTINE),
    ("Take minutes at the leadership meeting", ROUTINE),
    ("Close the books within 5 working days of month end", ROUTINE),
    ("Resolve 90% of P2 bugs within one sprint", ROUTINE),
    ("Fix the typo on the pricing page", ROUTINE),
    ("Upgrade the CI runners to the latest image", ROUTINE),
    ("Post job ads on the usual boards", ROUTINE),
    ("Review expense claims before Friday", ROUTINE),
    ("Do the quarterly access review for the admin console", ROUTINE),
    ("Archive last year's project folders", ROUTINE),
    ("Attend the daily standup and share blockers", ROUTINE),
    ("Monitor the error dashboard and page on-call if needed", ROUTINE),
    ("Write the release notes for version 4.2", ROUTINE),
    ("Maintain 99.9% uptime for the API", ROUTINE),
    ("Restock the kitchen and bake the morning bread", ROUTINE),
    ("File the VAT return on time", ROUTINE),
    ("Onboard the two new support agents", ROUTINE),
    ("Collect feedback forms after each workshop", ROUTINE),
    ("Update the org chart in the wiki", ROUTINE),
    ("Respond to every partner email the same day", ROUTINE),
    ("Continue weekly check-ins with the agency", ROUTINE),
    ("Book travel for the sales conference", ROUTINE),
    ("Renew the office lease", ROUTINE),
    ("Migrate the old blog posts to the new CMS", ROUTINE),
    ("Schedule interviews for the open designer role", ROUTINE),
    ("Send invoices to clients by the 3rd of the month", ROUTINE),
    ("Triage incoming support tickets each morning", ROUTINE),
    ("Publish two social posts a week", ROUTINE),
    ("Make sure the on-call rota is filled for December", ROUTINE),
    ("Check that backups ran successfully", ROUTINE),
    ("Set up the new hire's accounts and email", ROUTINE),
    # Strategic objectives, OKRs and outcome-style key results.
    ("Become the go-to bakery for weddings in our city", STRATEGIC),
    ("Double the share of revenue from annual plans", STRATEGIC),
    ("Make our mobile app the fastest way to book a repair", STRATEGIC),
    ("Cut new-customer churn in the first 90 days by half", STRATEGIC),
    ("Expand into the German market", STRATEGIC),
    ("Build a self-serve checkout that small teams love", STRATEGIC),
    ("Increase trial-to-paid conversion from 8% to 12%", STRATEGIC),
    ("Win back customers we lost to competitors last year", STRATEGIC),
    ("Turn support into a reason customers stay", STRATEGIC),
    ("Make every engineer productive in their first week", STRATEGIC),
    ("Establish a partner channel that brings in a third of new deals", STRATEGIC),
    ("Reduce the cost of serving a customer by 30%", STRATEGIC),
    ("Grow our open-source community of contributors", STRATEGIC),
    ("Be the most trusted payroll provider for startups", STRATEGIC),
    ("Raise employee engagement from 62 to 75", STRATEGIC),
    ("Launch the enterprise tier and sign our first 10 customers", STRATEGIC),
    ("Shorten the sales cycle for mid-market deals", STRATEGIC),
    ("Customers can set up their store without talking to us", STRATEGIC),
    ("Improve data quality so product decisions rely on numbers", STRATEGIC),
    ("Enable designers to ship prototypes without engineering help", STRATEGIC),
    (
        "Objective: Delight first-time buyers\n"
        "KR1: Raise repeat purchases within 60 days from 18% to 25%\n"
        "KR2: Lift checkout NPS from 31 to 45\n"
        "KR3: Cut delivery complaints by 40%",
        STRATEGIC,
    ),
    (
        "O: Make hiring a strength\n"
        "- Cut time to hire from 55 to 35 days\n"
        "- 90% of new hires rate onboarding 8/10 or higher\n"
        "- Grow referral hires from 10% to 30%",
        STRATEGIC,
    ),
    (
        "Goal - Become a profitable business\n"
        "1. Gross margin from 42% to 55%\n"
        "2. Monthly burn below 50k by December",
        STRATEGIC,
    ),
    ("KR: Grow weekly active teams from 1,200 to 2,000", STRATEGIC),
    ("KR: 30% of new signups come from referrals", STRATEGIC),
    ("KR2: Average onboarding time drops from 14 days to 5", STRATEGIC),
    ("KR: Hold 3 customer workshops", ROUTINE),
    ("KR: Send the satisfaction survey to all customers", ROUTINE),
    ("KR3: Write the onboarding handbook", ROUTINE),
)
