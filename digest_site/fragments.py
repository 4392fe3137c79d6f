"""`{% cached_fragment %}`: a template fragment kept in the cache until the content changes.

    {% load fragments %}
    {% cached_fragment "enforcement-rows" request.get_full_path %} … {% endcached_fragment %}

Like Django's `{% cache %}`, but the key always holds the content version and the language
(`digest_site.content_cache`), so publishing, withdrawing or any edit retires every fragment at
once and no fragment needs an expiry to be right; and a cache that fails (Redis down) renders the
fragment afresh instead of failing the page. The other arguments name what else the fragment
depends on, usually the page's path and query string. Keep user-specific content (staff links,
forms with a CSRF token) out of cached fragments.

Registered as a template library in settings (TEMPLATES OPTIONS "libraries"), so that both apps'
templates can load it.
"""

import logging

from django import template
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

from digest_site.content_cache import TIMEOUT, cache_key

logger = logging.getLogger(__name__)
register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        name = self.name.resolve(context)
        parts = [str(var.resolve(context)) for var in self.vary_on]
        key = cache_key("fragment", make_template_fragment_key(name, parts))
        try:
            value = cache.get(key)
        except Exception:  # noqa: BLE001  (any cache failure: render instead)
            logger.warning("Cache unavailable: fragment %s rendered uncached.", name, exc_info=True)
            return self.nodelist.render(context)
        if value is None:
            value = self.nodelist.render(context)
            try:
                cache.set(key, value, TIMEOUT)
            except Exception:  # noqa: BLE001
                logger.warning("Cache unavailable: fragment %s not stored.", name, exc_info=True)
        return value


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
