"""`{% cached_fragment %}`: a template fragment kept in the cache until the content changes.

    {% load fragments %}
    {% cached_fragment "enforcement-rows" request.path %} … {% endcached_fragment %}

Like Django's `{% cache %}`, but the key always holds the content version and the language
(`core.content_cache`), so publishing, withdrawing or any edit retires every fragment at
once and no fragment needs an expiry to be right; and a cache that fails (Redis down) renders the
fragment afresh instead of failing the page. The other arguments name what else the fragment
depends on, usually the page's path. The request's query string is always part of the key, its
parameters sorted, and bounds what is kept as whole pages are bounded (`content_cache.query_timeout`):
a fragment of a URL with parameters the view did not declare valid is rendered, never kept, and
one of a filtered URL is kept for a short time. Keep user-specific content (staff links, forms
with a CSRF token) out of cached fragments.

Registered as a template library in settings (TEMPLATES OPTIONS "libraries"), so that both apps'
templates can load it.
"""

from django import template
from django.core.cache.utils import make_template_fragment_key

from core.content_cache import TIMEOUT, cached, canonical_query, query_timeout

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        name = self.name.resolve(context)
        parts = [str(var.resolve(context)) for var in self.vary_on]
        request, timeout = context.get("request"), TIMEOUT
        if request is not None:
            parts.append(repr(canonical_query(request)))
            timeout = query_timeout(request)
        key = make_template_fragment_key(name, parts)
        return cached("fragment", key, lambda: self.nodelist.render(context), timeout)


@register.tag("cached_fragment")
def do_cached_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes at least a fragment name.")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]]
    )
