"""The base of every endpoint: reads through the policy, writes through the services.

Reads: `get_queryset()` is `policy.visible(user, Model)` (plus the joins the serializer needs),
so a hidden record is absent from lists and counts and its detail answers 404.

Writes (create, update, state-changing actions), in this order:
  404 hidden or absent  ->  403 policy.check_write() (audited)  ->  428 If-Match missing
  ->  400 input invalid (classified markings audited)  ->  412 If-Match stale (row locked)
  ->  the service (which checks the post rule again and owns every other write rule: its
      ValidationError -> 400, NotFound -> 404, Denied -> 403)  ->  200/201 with the new ETag.
Nothing is written unless every step passes: the service runs in the same transaction as the
locked re-read.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from tenancy import audit, policy

from . import concurrency
from .schema import IF_MATCH


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read-only base; subclasses add `create`/`update` by setting the input serializers."""

    model = None
    lookup_value_regex = r"[0-9]{1,18}"
    default_ordering: tuple[str, ...] = ()
    create_serializer_class = None
    update_serializer_class = None

    # Query parameters every list accepts besides its filters.
    LIST_PARAMETERS = frozenset({"page", "page_size", "ordering"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.refuse_unknown_parameters(request)

    def refuse_unknown_parameters(self, request):
        """An unknown query parameter is a 400, like an unknown body field: a misspelt filter
        must not silently return everything."""
        allowed = set()
        if self.action == "list":
            allowed = set(self.LIST_PARAMETERS)
            if getattr(self, "filterset_class", None) is not None:
                allowed |= set(self.filterset_class.base_filters)
        errors = {}
        for name in request.query_params:
            if name not in allowed:
                errors[name] = ["Unknown query parameter."]
            elif len(request.query_params.getlist(name)) > 1:
                errors[name] = ["Give this parameter once."]
        if errors:
            raise ValidationError(errors)

    # ------------------------------------------------------------ reads

    def get_object(self):
        """The record, or 404 in the policy's words: a hidden record is answered as an absent one."""
        try:
            return super().get_object()
        except Http404 as exc:
            raise policy.NotFound(policy.NO_SUCH_RECORD) from exc

    def get_queryset(self):
        queryset = self.optimize(policy.visible(self.request.user, self.model))
        if self.default_ordering:
            queryset = queryset.order_by(*self.default_ordering)
        return queryset

    def optimize(self, queryset):
        """select_related / prefetch_related (with policy-filtered Prefetch querysets)."""
        return queryset

    def version_extra(self, obj) -> str:
        """What else, besides updated_at, makes a new version of this record."""
        return ""

    def etag(self, obj) -> str:
        return concurrency.etag_for(obj, self.version_extra(obj))

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        # As the pages do: reading an attaché-channel or restricted record leaves an audit event.
        audit.viewed(request._request, instance)
        return Response(self.get_serializer(instance).data, headers={"ETag": self.etag(instance)})

    def fresh(self, pk):
        """Re-read a record just written, with the joins of the output serializer.

        Not through policy.visible(): the writer has just sent (and so knows) every field, and a
        record they moved out of their own sight (e.g. into someone else's restricted channel)
        must still be acknowledged. Related records stay policy-filtered by optimize().
        """
        return self.optimize(self.model._default_manager.filter(pk=pk)).get()

    def written(self, obj, status_code=status.HTTP_200_OK):
        obj = self.fresh(obj.pk)
        headers = {"ETag": self.etag(obj)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = self.request.build_absolute_uri(f"{obj.pk}/")
        return Response(self.get_serializer(obj).data, status=status_code, headers=headers)

    # ------------------------------------------------------------ writes

    # The post a write is about, once known: the audit event of a refused write names it.
    audit_post = None

    def input_context(self, **extra) -> dict:
        self.audit_post = extra.get("post")
        return {**self.get_serializer_context(), "model": self.model, **extra}

    def resolve_post(self, request):
        """The post of a new record: the body's `post` (id), or the user's only post; checked by the
        post rule as the pages do (policy.post_for_new): 404 for a post the user has no role at,
        403 for one where their role may not add this."""
        raw = request.data.get("post") if isinstance(request.data, dict) else None
        post_ids = list(policy.roles(request.user))
        if raw is None:
            if len(post_ids) > 1:
                raise ValidationError({"post": ["You work at several posts: say which one (post id)."]})
        elif not isinstance(raw, int) or isinstance(raw, bool):
            raise ValidationError({"post": [f"Incorrect type. Expected pk value, received {type(raw).__name__}."]})
        return policy.post_for_new(request.user, self.model, raw, request=request._request)

    def state_change(self, request, *, action: str, serializer_class, perform):
        """A POST action that changes a record (status, phase, close, release): same steps as update."""
        instance = self.get_object()
        policy.check_write(request.user, action, instance, request=request._request)
        tags = concurrency.require_if_match(request)
        serializer = serializer_class(data=request.data, context=self.input_context(post=instance.post))
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            current = concurrency.lock(instance)
            concurrency.check_if_match(tags, self.etag(current))
            obj = perform(current, dict(serializer.validated_data))
        return self.written(obj)

    # The resource's write services, as every register's services take them:
    # `create_service(post=, by=, **data)` and `update_service(<model name>=record, by=, **data)`
    # (`gift_update(gift=…)`). A resource whose services differ overrides the perform_ methods.
    create_service = None
    update_service = None

    def perform_service_create(self, *, post, data):
        """The create service of the resource, inside the request's transaction."""
        if self.create_service is None:
            raise TypeError(f"{type(self).__name__} must name its create_service")
        # Read from the class: a plain function stored there is not bound to the viewset.
        return type(self).create_service(post=post, by=self.request.user, **data)

    def perform_service_update(self, *, instance, data):
        """The update service of the resource, given the locked current record."""
        if self.update_service is None:
            raise TypeError(f"{type(self).__name__} must name its update_service")
        record = {self.model._meta.model_name: instance}
        return type(self).update_service(**record, by=self.request.user, **data)


class CreateMixin:
    """POST on the list: a new record through the service (`perform_service_create`)."""

    def create(self, request, *args, **kwargs):
        post = self.resolve_post(request)
        serializer = self.create_serializer_class(data=request.data, context=self.input_context(post=post))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("post", None)
        with transaction.atomic():
            obj = self.perform_service_create(post=post, data=data)
        return self.written(obj, status.HTTP_201_CREATED)


class PartialUpdateMixin:
    """PATCH on a record through the service (`perform_service_update`), with If-Match."""

    def apply_update(self, request, *, partial: bool):
        instance = self.get_object()
        policy.check_write(request.user, "change", instance, request=request._request)
        tags = concurrency.require_if_match(request)
        serializer = self.update_serializer_class(
            instance=instance,
            data=request.data,
            partial=partial,
            context=self.input_context(post=instance.post, instance=instance),
        )
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            current = concurrency.lock(instance)
            concurrency.check_if_match(tags, self.etag(current))
            obj = self.perform_service_update(instance=current, data=dict(serializer.validated_data))
        return self.written(obj)

    def partial_update(self, request, *args, **kwargs):
        return self.apply_update(request, partial=True)


class UpdateMixin(PartialUpdateMixin):
    """PUT (every required field present) and PATCH (only the fields sent)."""

    def update(self, request, *args, **kwargs):
        return self.apply_update(request, partial=False)


class WritableRecordViewSet(CreateMixin, UpdateMixin, RecordViewSet):
    """Read, create and update; records are never deleted through the API."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]


def record_schema(*, tag: str, actions: dict | None = None):
    """extend_schema_view for a RecordViewSet: tags, If-Match, and the request and response
    serializers the viewset already declares (serializer_class, create_ and update_serializer_class).
    `actions` maps an extra action to (its input serializer, its summary)."""

    def decorate(viewset):
        output, create, update = (
            viewset.serializer_class,
            viewset.create_serializer_class,
            viewset.update_serializer_class,
        )
        views = {
            "list": extend_schema(tags=[tag]),
            "retrieve": extend_schema(tags=[tag]),
        }
        if create is not None:
            views["create"] = extend_schema(tags=[tag], request=create, responses={201: output})
        if update is not None:
            for name in ("update", "partial_update"):
                views[name] = extend_schema(tags=[tag], request=update, responses={200: output}, parameters=[IF_MATCH])
        for name, (request, summary) in (actions or {}).items():
            views[name] = extend_schema(
                tags=[tag], request=request, responses={200: output}, parameters=[IF_MATCH], summary=summary
            )
        return extend_schema_view(**views)(viewset)

    return decorate
