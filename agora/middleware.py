"""Headers every response carries, beyond what Django's SecurityMiddleware sets."""

from csp.constants import SELF
from csp.middleware import CSPMiddleware

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    """Permissions-Policy: Agora never needs the camera, microphone, position or payments."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of the public site on the admin's previews too.

    A preview (page preview, "view draft", revision, workflow preview) renders residents' texts
    with the public templates. Wagtail runs it as a request of its own to the page's public
    address, so it gets the public policy even though the admin is exempt; only framing differs:
    the admin shows previews in its preview panel, a frame of the same origin.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        # request.is_preview: set by Wagtail on the request it makes to render a preview.
        if getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
