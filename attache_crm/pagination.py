"""A paginator that reads the total with the page, for lists whose every match is read anyway.

A name search (contacts.search) ranks its matches: PostgreSQL finds and sorts all of them before
it can return the first 25, and Django's paginator then asks again, in a COUNT(*) of its own, how
many there were. For a user of every post that second pass costs as much as the page (a common
name matches thousands of counterparts). Here the page carries COUNT(*) OVER (), the number of
matches before LIMIT, so one query answers both. Not for plain lists: there a page stops after 25
rows in index order, and counting them with it would read every row.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Window

TOTAL = "matches_in_all_pages"


class CountedWithPagePaginator(Paginator):
    """Django's paginator, except that `get_page` of a page with rows takes the count from them."""

    def get_page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if wanted >= 1:
            bottom = (wanted - 1) * self.per_page
            window = self.object_list.annotate(**{TOTAL: Window(Count("pk"))})
            rows = list(window[bottom : bottom + self.per_page])
            if rows:
                self.__dict__["count"] = getattr(rows[0], TOTAL)  # the cached_property's value
                return self._get_page(rows, wanted, self)
            if wanted == 1 and self.allow_empty_first_page:
                self.__dict__["count"] = 0  # an empty first page: nothing matches, no need to count
                return self._get_page(rows, wanted, self)
        # Before the first page or past the last: Django's own answer (the last page).
        return super().get_page(number)
