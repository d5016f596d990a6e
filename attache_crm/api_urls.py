"""/api/v1/ (one router over every app's api module), the OpenAPI schema and its docs."""

from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from attache_crm.api.errors import not_found_view
from contacts.api import CounterpartViewSet, OrganizationViewSet
from engagements.api import (
    ActionItemViewSet,
    AgreementViewSet,
    ExerciseViewSet,
    MeetingViewSet,
)
from handover.api import HandoverPackViewSet
from office.api import ClearanceViewSet, GiftViewSet
from reports.api import CableViewSet


class Router(DefaultRouter):
    include_root_view = False  # the index lives in the OpenAPI schema


router = Router()
router.register("counterparts", CounterpartViewSet, basename="api-counterpart")
router.register("organizations", OrganizationViewSet, basename="api-organization")
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("agreements", AgreementViewSet, basename="api-agreement")
router.register("exercises", ExerciseViewSet, basename="api-exercise")
router.register("action-items", ActionItemViewSet, basename="api-action-item")
router.register("cables", CableViewSet, basename="api-cable")
router.register("handover", HandoverPackViewSet, basename="api-handover-pack")
router.register("clearances", ClearanceViewSet, basename="api-clearance")
router.register("gifts", GiftViewSet, basename="api-gift")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, for signed-in users and token holders."""

    permission_classes = [IsAuthenticated]
    # YAML by default, JSON with ?format=json or Accept: application/vnd.oai.openapi+json.
    content_negotiation_class = DefaultContentNegotiation


class DocsView(SpectacularSwaggerSplitView):
    """Interactive docs; a signed-out browser is sent to the login page first.

    Under the site's CSP unchanged: the split view serves its init script as a file, Swagger UI
    comes from the drf-spectacular-sidecar package (never a CDN), and its styles are a file too.
    """

    template_name = "api/swagger_ui.html"
    content_negotiation_class = DefaultContentNegotiation
    url_name = "api-schema"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(), name="api-docs"),
    # Anything else under /api/ is a JSON 404 in the API's error shape, not the HTML page.
    re_path(r"^[\s\S]*$", not_found_view),
]
