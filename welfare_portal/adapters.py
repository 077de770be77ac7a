"""allauth's account adapter, adjusted to the portal."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from .network import rate_limit_ip


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's emails name the site after the request's host (the portal does not use
        django.contrib.sites): "Hello from welfare.example.org!". They name the portal instead,
        and keep the host as the site's address."""
        domain = get_current_site(allauth_context.request).domain
        site = SimpleNamespace(name=settings.PORTAL_NAME, domain=domain)
        super().send_mail(template_prefix, email, {**context, "current_site": site})

    def get_client_ip(self, request):
        """allauth's rate limits count per client address as the portal's own limits do
        (behind the trusted proxies): one setting and one function for both."""
        return rate_limit_ip(request)
