"""Reads of counterparts and organizations, shaped for pages, always through the access policy."""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from tenancy import policy
from tenancy.markings import highest_marking

from . import names, search
from .filters import CounterpartFilter
from .models import TAG_LIST_ATTR, Appointment, Counterpart, CounterpartMerge, Organization

PAGE_SIZE = 25
TYPEAHEAD_LIMIT = 10


def visible_organizations(user) -> QuerySet:
    """The organizations this user may see (for choices, links and prefetches)."""
    return policy.visible(user, Organization)


def _with_visible_organization(queryset: QuerySet, user) -> QuerySet:
    # Prefetch through the policy rather than select_related: a post-channel counterpart may sit
    # in an attaché-channel organization, whose name a diplomat must not read. A hidden
    # organization comes back as None. One query for the whole page.
    return queryset.prefetch_related(Prefetch("organization", queryset=visible_organizations(user)))


def with_tags(queryset: QuerySet) -> QuerySet:
    """Each counterpart's tags in one query for the whole list, read through `tag_names`."""
    return queryset.prefetch_related(Prefetch("tags", to_attr=TAG_LIST_ATTR))


def counterpart_filterset(user, params) -> CounterpartFilter:
    """The bound filter form of the counterpart list (for its errors and widgets)."""
    return CounterpartFilter(params, user=user)


def counterpart_list(user, params, *, filterset: CounterpartFilter | None = None) -> QuerySet:
    """Visible counterparts, searched (?q=), filtered and sorted from GET-style `params`."""
    filterset = filterset or counterpart_filterset(user, params)
    queryset = with_tags(filterset.qs.select_related("owner"))
    return _with_visible_organization(queryset, user)


def counterpart_detail(user, pk) -> Counterpart:
    """One visible counterpart (404 otherwise), with its visible organization and owner."""
    queryset = _with_visible_organization(Counterpart.objects.select_related("owner", "post"), user)
    return policy.get_visible_or_404(user, queryset.prefetch_related("tags"), pk=pk)


def visible_counterpart(user, pk) -> Counterpart:
    """One visible counterpart (404 otherwise) with its owner and post: whether its page is shown
    at all, decided on every request even where the page's parts are kept (attache_crm.kept_panels)."""
    return policy.get_visible_or_404(user, Counterpart.objects.select_related("owner", "post"), pk=pk)


def merged_survivor(user, pk) -> Counterpart | None:
    """The counterpart a merged record's id now leads to, when `user` may see it."""
    survivor_id = CounterpartMerge.objects.filter(merged_id=pk).values_list("survivor_id", flat=True).first()
    if survivor_id is None:
        return None
    return policy.visible(user, Counterpart).filter(pk=survivor_id).first()


def merge_choices(user, counterpart: Counterpart, query: str) -> list[Counterpart]:
    """Counterparts of the same post `user` may see and merge with `counterpart`, by name."""
    candidates = policy.visible(user, Counterpart).filter(post_id=counterpart.post_id, channel=counterpart.channel)
    candidates = candidates.exclude(pk=counterpart.pk)
    return list(search.search_counterparts(candidates, query)[:TYPEAHEAD_LIMIT]) if query.strip() else []


def counterpart_page_top(user, counterpart: Counterpart) -> list[Appointment]:
    """What the counterpart page shows at the top besides the counterpart (`visible_counterpart`):
    its tags, and its rank and position history newest first, which is returned.

    The organizations of both (the current one and those of past appointments) are read in one
    query through the policy; a hidden one comes back as None, as with `counterpart_detail`.
    """
    prefetch_related_objects([counterpart], "tags")
    appointments = list(policy.visible(user, Appointment).filter(counterpart=counterpart).order_by("-start_on", "-id"))
    wanted = {counterpart.organization_id, *(appointment.organization_id for appointment in appointments)}
    wanted.discard(None)
    organizations = visible_organizations(user).in_bulk(wanted) if wanted else {}
    for record in (counterpart, *appointments):
        organization_field = type(record)._meta.get_field("organization")
        organization_field.set_cached_value(record, organizations.get(record.organization_id))
    return appointments


def counterpart_appointments(user, counterpart: Counterpart) -> list[Appointment]:
    """The counterpart's rank and position history, newest first, organizations through the policy."""
    queryset = policy.visible(user, Appointment).filter(counterpart=counterpart).order_by("-start_on", "-id")
    return list(queryset.prefetch_related(Prefetch("organization", queryset=visible_organizations(user))))


def counterpart_typeahead(user, query: str, *, post_id=None, limit: int = TYPEAHEAD_LIMIT) -> list[Counterpart]:
    """Up to `limit` visible counterparts matching `query`, for pickers (nothing for an empty query)."""
    if not names.tokens(query or ""):
        return []
    queryset = search.search_counterparts(policy.visible(user, Counterpart), query)
    if post_id:
        queryset = queryset.filter(post_id=post_id)
    queryset = queryset.select_related("post")
    return list(_with_visible_organization(queryset, user)[:limit])


def page_marking(*shown) -> str:
    """The highest marking of what a page displays: records, lists or pages of records, or
    timeline entries (None is skipped). The page's banners show it."""
    markings = []
    for item in shown:
        if item is None:
            continue
        if isinstance(item, list | tuple | QuerySet | Page):
            markings.append(page_marking(*item))
            continue
        marking = getattr(getattr(item, "obj", item), "marking", None)
        if marking:
            markings.append(marking)
    return highest_marking(markings)


# ---------------------------------------------------------------- organizations


def organization_list(user, *, query: str = "", kind: str = "") -> QuerySet:
    """Visible organizations with the number of counterparts the user may see in each."""
    queryset = visible_organizations(user)
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
    if kind:
        queryset = queryset.filter(kind=kind)
    visible_counterparts = policy.visible(user, Counterpart).values("pk")
    return (
        queryset.annotate(counterpart_count=Count("counterparts", filter=Q(counterparts__pk__in=visible_counterparts)))
        .prefetch_related(Prefetch("parent", queryset=visible_organizations(user)))
        .order_by("name", "pk")
    )


def organization_detail(user, pk) -> Organization:
    """One visible organization (404 otherwise), its parent only if visible."""
    queryset = Organization.objects.select_related("post").prefetch_related(
        Prefetch("parent", queryset=visible_organizations(user))
    )
    return policy.get_visible_or_404(user, queryset, pk=pk)


def organization_relations(user, organization: Organization, *, limit: int = 200) -> dict:
    """Visible sub-organizations and counterparts (most senior first)."""
    return {
        "children": list(visible_organizations(user).filter(parent=organization).order_by("name")),
        "counterparts": list(
            policy.visible(user, Counterpart)
            .filter(organization=organization)
            .order_by("-grade_seniority", "family_name", "pk")[:limit]
        ),
    }
