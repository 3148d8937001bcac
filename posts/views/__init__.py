"""The views of the publishing side that the page tree does not route.

Publications, indexes and associations are Wagtail pages and serve themselves; these modules
hold what lies outside the tree, one per concern:

- `public`: the search page (/recherche/).
- `feeds`: the RSS feed of every publication (/flux/) and the iCalendar files of the agenda.
- `proposals`: residents' proposals without an account, their receipt and follow-up page.
- `reports`: the public "Signaler ce contenu" form.
- `admin`: the Wagtail admin views of consents, portraits and visitors' reports, registered
  by posts.wagtail_hooks.

Views parse the request, call a query or an action (posts.actions) and render; forms live in
posts.forms.
"""
