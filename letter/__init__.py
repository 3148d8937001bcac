"""The weekly letter: subscriptions with double opt-in, one-click unsubscribe, and sending.

Someone gives an address at /lettre/ (views.py); a pending DigestSubscription (models.py) is
created and a confirmation link is mailed to it (subscriptions.py); only once that link is
followed does the address receive anything else. Each week `manage.py send_digest` (or its
background task) sends the coming week's events and the news and portraits published since
(sending.py). Unsubscribing, or never confirming, erases the address and its history, and the
erasure journal (agora.erasure) keeps a restore from bringing it back.

The letter reads what the posts app publishes; posts knows nothing of the letter.
"""
