"""The web shell Voila serves: the index and exercise pages, the wizard that walks a member
through an exercise's pages, the facilitator's results, the Voila template and ``serve``.
"""
