"""Hand-written word lists for the routine/strategic distinction.

Each list names a general idea from OKR practice (cadence, upkeep, chores, outcomes...),
written from that idea, not from any particular draft. Entries are plain phrases; they are
stemmed once at import so "updates" and "updated" match "update".
"""

from __future__ import annotations

from coaching.textutil import phrase_set, stem_set

# --- routine side -------------------------------------------------------------------------

# Cadence: work that comes round again is upkeep, however well it is done.
CADENCE = phrase_set(
    """
    daily, weekly, biweekly, fortnightly, monthly, nightly, hourly, every day, every week,
    every month, every morning, every friday, every monday, every workday, every release,
    every sprint, every cycle, every time, each day, each week, each month, each release,
    each sprint, each cycle, each quarter, every quarter, once a, once per, twice a, per
    week, per day, per month, a week, on a regular basis, regularly, recurring, routine,
    periodically, as needed, as-needed, ongoing, continuously, cadence, throughout the, on
    call, on-call, rotation, business as usual, day to day, day-to-day, standing, each time
    """
)

# Verbs that open a checklist step: one person, one sitting, done when ticked.
CHORE_VERBS = stem_set(
    """
    check, update, review, send, schedule, file, post, attend, respond, answer, reply, run,
    verify, upload, download, ask, monitor, process, document, add, remove, delete, draft,
    revisit, resolve, merge, tag, notify, announce, prepare, collect, coordinate, organize,
    organise, host, triage, track, approve, reconcile, book, submit, fill, assign, confirm,
    close, archive, label, edit, contribute, write, publish, record, invite, email, ping,
    remind, maintain, keep, renew, order, pay, train, test, install, configure, copy, move,
    rename, clean, sync, back, print, handle, fulfill, fulfil, consult, open, share, fix,
    rotate, upgrade, migrate, rewrite, finish, complete, conclude, participate, facilitate,
    follow, go, make, set, sign, tidy, audit, perform, manage, support, provide, help,
    generate, compile, create, list, summarize, summarise, communicate, bump, release, cut,
    tweet, present, join, meet, discuss, sort, clear, log, enter, inform, distribute,
    gather, compose, investigate, continue, read, activate, look, do, get, pick, use, put,
    reach, nominate, vote, select, decide, plan, identify, work, finalize, finalise, pull,
    push, tell, welcome, onboard
    """
)

# Among the verbs above, the ones that are hardly ever the opening of a strategic goal.
STRONG_CHORE_VERBS = stem_set(
    """
    check, update, review, send, schedule, file, post, attend, respond, answer, reply,
    verify, upload, download, ask, monitor, process, remove, delete, revisit, merge, tag,
    notify, announce, prepare, collect, triage, approve, reconcile, book, submit, fill,
    assign, confirm, close, archive, label, edit, record, invite, email, ping, remind,
    renew, order, pay, copy, move, rename, clean, print, handle, fulfill, fulfil, consult,
    share, rotate, participate, facilitate, tidy, perform, summarize, summarise, bump,
    tweet, join, discuss, sort, log, enter, distribute, gather, read, activate, look,
    nominate, vote, finalize, finalise, continue, maintain, keep, document, draft, run,
    list, go, follow, set, sign, inform, pick
    """
)

# Phrasal chore openings ("go through", "make sure", "follow up").
CHORE_PHRASES = phrase_set(
    """
    go through, make sure, follow up, follow-up, clean up, set up, sign off, check in, look
    at, look into, keep track, run through, reach out, fill in, fill out, catch up, write
    up, send out, hand off, double check, double-check, work on, help with, take care, be
    available, be responsible, responsible for, in charge of
    """
)

# Nouns of meetings, admin and reporting: the machinery of running things.
ADMIN_NOUNS = stem_set(
    """
    meeting, sync, standup, stand-up, agenda, notes, email, emails, inbox, invoice,
    invoices, spreadsheet, sheet, calendar, report, reports, reporting, status, handbook,
    doc, docs, page, readme, checklist, form, survey, slides, deck, newsletter, pr, prs,
    ticket, tickets, issue, issues, branch, tag, changelog, channel, slack, tracker,
    payroll, expense, expenses, receipt, vendor, contract, filing, filings, audit, policy,
    policies, procedure, runbook, template, label, labels, demo, talk, workshop, laptop,
    account, password, passwords, permission, access, recording, video, blog, post, tweet,
    announcement, repo, repository, file, files, folder, link, links, comment, comments,
    request, requests, queue, approval, paperwork, timesheet, budget, charter, 1-1, 1-1s,
    one-on-one, retro, retrospective, webinar, event, events, website, version, versions,
    rfc, guide, guides, faq, wiki, documentation, runbooks, process, processes,
    feedback, backlog, board, dashboard, dashboards, bug, bugs, invite, invites, reminder,
    reminders, schedule, benefit, benefits, contractor, headcount, candidate, candidates
    """
)

# Service standards: keeping an existing promise, not changing an outcome.
SERVICE_STANDARD = phrase_set(
    """
    sla, slas, slo, on time, up to date, up-to-date, in a timely manner, timely, no later
    than, turnaround, response time, first response, accurate,
    accuracy, in sync, current, inbox zero, within budget, on budget, compliant, compliance,
    in line with, as expected, remain, remains, stays, stay
    """
)

# Upkeep verbs: the status quo kept running.
UPKEEP_VERBS = stem_set(
    """
    maintain, keep, continue, preserve, uphold, sustain, remain, retain, stay, ensure,
    manage, administer, operate, run, monitor
    """
)

# Deliverables that are outputs, not outcomes: the thing produced, not the change it makes.
OUTPUT_NOUNS = stem_set(
    """
    document, documentation, docs, doc, blog, post, posts, article, talk, talks, demo,
    demos, workshop, guide, guides, page, pages, paper, report, deliverable, deliverables,
    presentation, video, runbook, plan, outline, template, checklist, handbook, policy,
    process, procedure, slides, newsletter, announcement, tutorial, faq, charter,
    proposal, rfc, draft, summary, list, inventory, survey, meeting, meetings, session,
    sessions, training, webinar
    """
)

# First-person and role-duty phrasing: one person's to-do list.
PERSONAL = phrase_set(
    """
    i, my, me, myself, i'll, i'm, i've, your, you
    """
)
ROLE_DUTY = phrase_set(
    """
    will attend, will continue, will facilitate, will check, will send, will review, will
    update, is responsible, are responsible, responsible for, lead will, manager will, owner
    will, shadow, shadows, the lead, on-call, the team lead, as needed, if needed, if
    necessary, when needed
    """
)

# A number of hours or minutes: a time box on a duty.
TIME_BOX_UNITS = stem_set(
    """
    hour, hours, minute, minutes, hr, hrs
    """
)

# --- strategic side -----------------------------------------------------------------------

# Verbs of change: the objective moves something, or creates a new capability.
CHANGE_VERBS = stem_set(
    """
    increase, grow, reduce, improve, raise, lower, decrease, double, triple, halve, boost,
    drive, become, establish, transform, enable, scale, adopt, expand, accelerate, achieve,
    reach, win, earn, attract, evolve, kickstart, advance, catalyze, catalyse, democratize,
    democratise, reposition, position, unify, stabilize, stabilise, extend, replace,
    eliminate, automate, simplify, modernize, modernise, unlock, empower, pioneer, lead,
    bring, let, enhance, strengthen, deepen, broaden, diversify, cut, shorten, speed,
    maximize, maximise, minimize, minimise, optimize, optimise, convert, capture, dominate,
    differentiate, lay, redefine, reinvent, overhaul, revolutionize, elevate, secure,
    harden, ease, hit, exceed, surpass, sell, control, beat, turn, close
    """
)

# Among them, the ones that carry a direction of change by themselves.
STRONG_CHANGE_VERBS = stem_set(
    """
    increase, grow, reduce, improve, raise, lower, decrease, double, triple, halve, boost,
    become, transform, enable, scale, expand, accelerate, achieve, earn, attract, evolve,
    democratize, democratise, reposition, unify, stabilize, stabilise, extend, eliminate,
    simplify, modernize, modernise, unlock, empower, enhance, strengthen, diversify,
    maximize, maximise, minimize, minimise, dominate, differentiate, redefine, reinvent,
    revolutionize, elevate, exceed, surpass, drive, establish, catalyze, catalyse, advance,
    kickstart, position, win
    """
)

# Outcome nouns that are themselves a measure, fit to name in a key result.
METRIC_NOUNS = stem_set(
    """
    adoption, activation, retention, conversion, revenue, arr, mrr, churn, usage,
    satisfaction, engagement, nps, csat, traffic, signups, sign-ups, uptime, latency,
    throughput, deflection, coverage, pipeline, margin
    """
)

# Nouns of change: "the stabilisation of X", "an overhaul of Y" aim at a change too.
CHANGE_NOUNS = stem_set(
    """
    stabilization, stabilisation, expansion, reduction, improvement, improvements,
    transformation, modernization, modernisation, standardization, standardisation,
    simplification, acceleration, consolidation, unification, elimination, overhaul,
    democratization, democratisation, growth
    """
)

# Verbs of winning people or organisations over: with a count, the object is the goal.
ACQUIRE_VERBS = stem_set(
    """
    sign, win, land, acquire, attract, add, onboard, convert, reach, recruit, get, close,
    gain, bring
    """
)

# Comparatives and growth words: a direction and a size of change.
COMPARATIVE = phrase_set(
    """
    fastest, easiest, simplest, cheapest, largest, biggest, strongest, safest, quickest,
    greatest, highest, lowest,
    more, less, fewer, faster, better, higher, lower, larger, smaller, easier, cheaper,
    safer, quicker, greater, stronger, most, best, first, leading, default choice, go-to,
    qoq, mom, yoy, quarter over quarter, month over month, year over year, compared to,
    double, triple, x growth, growth, parity, as easy as, increases, increasing, decreases,
    decreasing, closer to, rather than, world-class, best-in-class, industry-standard,
    industry standard, state of the art, market leader, number one, category
    """
)

# Outcome nouns: what changes for customers, users, the business or the ecosystem.
OUTCOME_NOUNS = stem_set(
    """
    adoption, growth, revenue, arr, mrr, retention, churn, conversion, pipeline, market,
    nps, satisfaction, engagement, activation, traffic, signups, sign-ups, usage, trust,
    productivity, performance, reliability, security, quality, experience, efficiency,
    latency, cost, costs, brand, awareness, share, funding, diversity, ecosystem, scale,
    speed, loyalty, reputation, margin, profit, profitability, sales, deals, customers,
    users, developers, adopters, uptime, availability, discoverability, velocity,
    throughput, impact, capability, capabilities, maturity, posture, sustainability,
    momentum, leadership, differentiation, opportunity, value, outcomes, mttr, deflection,
    coverage, resilience, interoperability, conformance, accessibility, onboarding,
    contributors, community, demand, visibility, influence, fit
    """
)

# Qualities of a desired end state ("X is easy to integrate with", "builds are fast").
ASPIRATION_ADJECTIVES = stem_set(
    """
    easy, easier, fast, faster, seamless, natural, reliable, secure, scalable, sustainable,
    robust, mature, production-ready, viable, world-class, default, simple, simpler,
    accessible, delightful, efficient, effortless, trusted, trustworthy, sound, proactive,
    self-serve, self-service, frictionless, low-friction, ready, stable, performant,
    intuitive, transparent, repeatable, predictable, rich, complete, first-class, best,
    leading, successful, thriving, healthy, inclusive, diverse, profitable, usable, well,
    strategic, data-driven, known, adopted, available, possible, resilient, flexible,
    consistent, clear, safe, safer
    """
)

# End states that read as an aspiration wherever they sit in the line.
END_STATES = phrase_set(
    """
    production ready, production-ready, generally available, general availability, by
    default, out of the box, best in class, best-in-class, world class, first class,
    first-class, self-serve, self service, product-market fit, product market fit, default
    choice, go-to, source of truth, parity with, easy to, easier to, easy for, easier for
    """
)

# Words for the people and groups an objective serves or aligns with.
SHARED_NOUNS = stem_set(
    """
    team, teams, company, customer, customers, community, communities, user, users,
    developer, developers, organization, organisation, org, ecosystem, industry, market,
    world, everyone, partner, partners, maintainers, contributors, projects, business,
    stakeholders, members, audience, people, product, platform, enterprise, enterprises,
    consumers, ecosystems, companies, buyers, clients, client, adopters, teammates,
    engineers
    """
)

# Reach: words that widen the objective beyond one task.
REACH = phrase_set(
    """
    all, every, any, across, everyone, end-to-end, company-wide, organization-wide,
    org-wide, at scale, around the world, worldwide, global, industry, entire, whole, major,
    critical, largest, new
    """
)

# Words that make a KR time-bound.
DEADLINE = phrase_set(
    """
    by end of, by the end of, end of quarter, end of the quarter, this quarter, next
    quarter, by q1, by q2, by q3, by q4, in q1, in q2, in q3, in q4, eoq, eoy, end of year,
    by january, by february, by march, by april, by may, by june, by july, by august, by
    september, by october, by november, by december, in january, in february, in march, in
    april, in may, in june, in july, in august, in september, in october, in november, in
    december, deadline, by launch, h1, h2, fy
    """
)

# Verbs that start a new capability: a project rather than upkeep, though not yet an outcome.
BUILD_VERBS = stem_set(
    """
    build, implement, develop, design, launch, ship, deliver, kickstart, pilot, prototype,
    invent, architect, found, open-source
    """
)

# Nouns of a product or technical capability: building one is a project, not a chore.
CAPABILITY_NOUNS = stem_set(
    """
    api, sdk, sdks, platform, implementation, integration, integrations, service, feature,
    features, tooling, program, programme, engine, infrastructure, framework, library,
    backend, capability, capabilities, product, marketplace, system, architecture, pipeline,
    automation, compiler, runtime, protocol, standard, model, offering, channel, network,
    foundation, playbook, initiative, strategy, ecosystem, experience
    """
)

# Words that point at the status quo rather than a change.
STATUS_QUO = phrase_set(
    """
    existing, as usual, as before, as-is, same as, usual, current process, ongoing, keep up,
    keep on, stay on top
    """
)

# Markers of something new coming into being.
NOVELTY = phrase_set(
    """
    new, first, v1, 1.0, mvp, beta, ga, pilot, from scratch, greenfield, next generation,
    next-generation, reference implementation
    """
)

# Binary deliverable verbs: done or not done, with no measure of what changed.
BINARY_VERBS = stem_set(
    """
    launch, ship, release, deliver, publish, build, create, implement, complete, finish,
    deploy, roll, introduce, write, document, design, develop, set, hire, run, hold, host,
    draft, produce, make, add, migrate, redesign, rewrite, finalize, finalise, start, begin,
    kick
    """
)
