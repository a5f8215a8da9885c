"""A big shop for the dashboard benchmark: products, customers, orders, carts, messages.

Rows are written with set-based INSERT … SELECT generate_series statements on the
business's own id, so 10,000 orders take seconds, not the minutes the engine would. The
numbers are deterministic (no random()) so two runs time the same pages over the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class Size:
    products: int = 10_000
    orders: int = 10_000
    customers: int = 2_000
    messages_per_customer: int = 6  # half inbound, half outbound (plus read receipts)
    open_carts: int = 300
    questions: int = 40
    product_approvals: int = 40
    days: int = 90  # orders spread over this many days back from now


STATEMENTS = [
    # products: names a search can find, prices 5–5,000, a few low on stock
    """
    INSERT INTO products (business_id, sku, name, description, price, stock, category,
                          aliases, status, search_names, search_category, search_text)
    SELECT :b, 'S-' || lpad(g::text, 6, '0'),
           (ARRAY['Tornillo','Taquete','Brocha','Pintura','Foco','Cable','Tubo','Llave'])
               [1 + g % 8] || ' modelo ' || g,
           'Producto de prueba ' || g, 5 + (g * 37 % 4995), g % 120,
           (ARRAY['Tornillería','Pintura','Eléctrico','Plomería'])[1 + g % 4],
           ARRAY[]::text[], 'confirmed',
           lower((ARRAY['tornillo','taquete','brocha','pintura','foco','cable','tubo','llave'])
               [1 + g % 8] || ' modelo ' || g),
           (ARRAY['tornilleria','pintura','electrico','plomeria'])[1 + g % 4], ''
    FROM generate_series(1, :products) g
    """,
    # customers, each last seen at a different minute
    """
    INSERT INTO customers (business_id, wa_id, profile_name, locale, created_at, last_seen_at)
    SELECT :b, '5215' || lpad(g::text, 8, '0'), 'Cliente ' || g, 'es',
           now() - (g || ' hours')::interval, now() - (g || ' minutes')::interval
    FROM generate_series(1, :customers) g
    """,
    # orders spread over the last :days days, numbered in time order as real ones are; a
    # tenth cancelled, a fifth still pending (the statuses of CONTRACT §7)
    """
    INSERT INTO orders (business_id, number, customer_id, status, currency, subtotal,
                        delivery_fee, total, delivery_address, payment_method, created_at)
    SELECT :b, g, c.id,
           (ARRAY['pending','pending','paid','shipped','delivered','cancelled',
                  'delivered','delivered','paid','delivered'])[1 + g % 10],
           'MXN', 100 + g % 900, 30, 130 + g % 900, 'Calle ' || g, 'efectivo',
           now() - (((:orders - g)::bigint * :days * 86400 / :orders) || ' seconds')::interval
    FROM generate_series(1, :orders) g
    JOIN customers c ON c.business_id = :b
         AND c.wa_id = '5215' || lpad((1 + g % :customers)::text, 8, '0')
    """,
    # two lines per order
    """
    INSERT INTO order_items (business_id, order_id, product_id, sku, name, quantity, unit_price)
    SELECT :b, o.id, p.id, p.sku, p.name, 1 + (o.number + k) % 3, p.price
    FROM orders o
    CROSS JOIN generate_series(0, 1) k
    JOIN products p ON p.business_id = :b
         AND p.sku = 'S-'
             || lpad((1 + (o.number * 7 + k * 131) % LEAST(:products, 97))::text, 6, '0')
    WHERE o.business_id = :b
    """,
    # each order's totals are its lines' (the lines were drawn after the orders)
    """
    UPDATE orders o SET subtotal = s.subtotal, total = s.subtotal + o.delivery_fee
    FROM (SELECT order_id, sum(quantity * unit_price) AS subtotal FROM order_items
          WHERE business_id = :b GROUP BY order_id) s
    WHERE o.id = s.order_id AND o.business_id = :b
    """,
    """
    INSERT INTO business_sequences (business_id, kind, last) VALUES (:b, 'order', :orders)
    ON CONFLICT (business_id, kind) DO UPDATE SET last = excluded.last
    """,
    # the customers' messages, a minute apart, and the agent's replies
    """
    INSERT INTO inbound_messages (business_id, wa_message_id, customer_wa_id, type, payload,
                                  status, received_at)
    SELECT :b, 'wamid.seed.' || :b || '.' || c.id || '.' || k, c.wa_id, 'text',
           jsonb_build_object('type', 'text', 'from', c.wa_id, 'profile_name', c.profile_name,
                              'text', jsonb_build_object('body', 'Hola, ¿tienen tornillos? ' || k)),
           'processed', c.last_seen_at - ((:per - k) || ' minutes')::interval
    FROM customers c CROSS JOIN generate_series(1, :per) k
    WHERE c.business_id = :b
    """,
    """
    INSERT INTO outbound_messages (business_id, to_wa_id, payload, status, attempts, created_at)
    SELECT :b, c.wa_id,
           jsonb_build_object('messaging_product', 'whatsapp', 'to', c.wa_id, 'type', 'text',
                              'text', jsonb_build_object('body', 'Sí, tenemos ' || k)),
           'delivered', 1, c.last_seen_at - ((:per - k) || ' minutes')::interval + interval '2 s'
    FROM customers c CROSS JOIN generate_series(1, :per) k
    WHERE c.business_id = :b
    """,
    """
    INSERT INTO outbound_messages (business_id, to_wa_id, payload, status, attempts, created_at)
    SELECT :b, c.wa_id,
           jsonb_build_object('messaging_product', 'whatsapp', 'status', 'read',
                              'message_id', 'wamid.seed.' || c.id || '.' || k),
           'sent', 1, c.last_seen_at - ((:per - k) || ' minutes')::interval + interval '1 s'
    FROM customers c CROSS JOIN generate_series(1, :per) k
    WHERE c.business_id = :b
    """,
    # open carts of the most recent customers, three lines each
    """
    INSERT INTO carts (business_id, customer_id, updated_at)
    SELECT :b, c.id, c.last_seen_at FROM customers c
    WHERE c.business_id = :b ORDER BY c.last_seen_at DESC LIMIT :carts
    """,
    """
    INSERT INTO cart_items (business_id, cart_id, product_id, quantity)
    SELECT :b, ca.id, p.id, 1 + k
    FROM carts ca CROSS JOIN generate_series(0, 2) k
    JOIN products p ON p.business_id = :b
         AND p.sku = 'S-' || lpad((1 + (ca.id * 11 + k * 17) % LEAST(:products, 500))::text, 6, '0')
    WHERE ca.business_id = :b
    """,
    # questions the agent couldn't answer, and products customers asked the owner about
    """
    INSERT INTO approvals (business_id, number, kind, status, query, customer_id, wants_add,
                           created_at)
    SELECT :b, g, 'question', 'pending', '¿Abren el domingo ' || g || '?', c.id, false,
           now() - (g || ' hours')::interval
    FROM generate_series(1, :questions) g
    JOIN customers c ON c.business_id = :b AND c.wa_id = '5215' || lpad(g::text, 8, '0')
    """,
    """
    INSERT INTO approvals (business_id, number, kind, status, query, product_id, customer_id,
                           wants_add, requested_quantity, created_at)
    SELECT :b, :questions + g, 'unconfirmed_product', 'pending', 'modelo ' || g, p.id, c.id,
           true, 1 + g % 4, now() - (g || ' hours')::interval
    FROM generate_series(1, :product_approvals) g
    JOIN products p ON p.business_id = :b AND p.sku = 'S-' || lpad(g::text, 6, '0')
    JOIN customers c ON c.business_id = :b AND c.wa_id = '5215' || lpad(g::text, 8, '0')
    """,
    """
    INSERT INTO approval_customers (approval_id, business_id, customer_id, wants_add,
                                    requested_quantity, created_at)
    SELECT a.id, a.business_id, a.customer_id, a.wants_add, a.requested_quantity, a.created_at
    FROM approvals a WHERE a.business_id = :b
    """,
    """
    INSERT INTO business_sequences (business_id, kind, last)
    VALUES (:b, 'approval', :questions + :product_approvals)
    ON CONFLICT (business_id, kind) DO UPDATE SET last = excluded.last
    """,
]


async def seed(session: AsyncSession, *, business_id: int, size: Size = Size()) -> None:
    """Fill a freshly imported business (no orders or customers yet) with `size` rows."""
    params = {
        "b": business_id,
        "products": size.products,
        "orders": size.orders,
        "customers": size.customers,
        "per": size.messages_per_customer // 2,
        "carts": size.open_carts,
        "questions": size.questions,
        "product_approvals": size.product_approvals,
        "days": size.days,
    }
    for statement in STATEMENTS:
        await session.execute(text(statement), params)
    await session.execute(text("ANALYZE"))
