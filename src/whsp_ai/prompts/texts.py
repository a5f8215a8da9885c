"""Localized reply templates (es, en). Nodes pick a key; values are filled from the database."""

from typing import Literal

from whsp_ai.prompts.owner_texts import OWNER_TEXTS

Lang = Literal["es", "en"]

TEXTS: dict[str, dict[Lang, str]] = {
    "greeting_default": {
        "es": "¡Hola! Soy {agent}, de {business}. ¿Qué andas buscando hoy?",
        "en": "Hi! I'm {agent} from {business}. What are you looking for today?",
    },
    "help": {
        "es": (
            "Soy {agent}, de {business}. Puedo:\n"
            '• buscar productos y precios ("¿tienen focos?")\n'
            '• armar tu carrito ("agrega 2 del primero", "quita la cinta")\n'
            '• mostrarte tu carrito ("¿qué llevo?")\n'
            '• cerrar tu pedido ("quiero pagar")'
        ),
        "en": (
            "I'm {agent} from {business}. I can:\n"
            '• find products and prices ("do you have earl grey?")\n'
            '• build your cart ("add 2 of the first one", "remove the teapot")\n'
            '• show your cart ("what\'s in my cart?")\n'
            '• place your order ("checkout")'
        ),
    },
    "other": {
        "es": "Con gusto te ayudo. Puedes preguntarme por productos, armar tu carrito o pagar.",
        "en": "Happy to help. You can ask me about products, build your cart or check out.",
    },
    "search_results": {"es": "Esto encontré:", "en": "Here's what I found:"},
    "search_did_you_mean": {
        "es": "¿Te refieres a alguno de estos?",
        "en": "Did you mean one of these?",
    },
    "search_none": {
        "es": 'No tenemos "{query}" en el catálogo. Ya le pregunté a {business} si lo puede conseguir y te aviso.',
        "en": "We don't carry \"{query}\". I've asked {business} whether they can get it, and I'll let you know.",
    },
    "search_none_filters": {
        "es": "No encontré productos con esas condiciones.",
        "en": "I couldn't find products matching that.",
    },
    "search_empty_query": {
        "es": "¿Qué producto buscas? Escríbeme su nombre.",
        "en": "Which product are you looking for? Tell me its name.",
    },
    "unconfirmed_note": {"es": "(por confirmar)", "en": "(checking availability)"},
    "out_of_stock_note": {"es": "(agotado)", "en": "(out of stock)"},
    "product_detail": {
        "es": "{name} — {price}{stock}\n{description}",
        "en": "{name} — {price}{stock}\n{description}",
    },
    "stock_left": {"es": " · quedan {n}", "en": " · {n} left"},
    "checking_with_owner": {
        "es": "{name} está por confirmarse: ya le pregunté a {business} y te aviso en cuanto respondan.",
        "en": "{name} needs confirming: I've asked {business} and will let you know as soon as they answer.",
    },
    "added": {"es": "Agregué {qty} × {name}.", "en": "Added {qty} × {name}."},
    "added_partial": {
        "es": "Solo hay {available} de {name}; agregué {qty} (pediste {asked}).",
        "en": "There are only {available} of {name}; I added {qty} (you asked for {asked}).",
    },
    "already_max": {
        "es": "Ya tienes en tu carrito todas las piezas disponibles de {name} ({available}).",
        "en": "Your cart already holds every {name} we have ({available}).",
    },
    "out_of_stock": {
        "es": "{name} está agotado, lo siento.",
        "en": "Sorry, {name} is out of stock.",
    },
    "unavailable": {
        "es": "{name} no está disponible por ahora.",
        "en": "{name} isn't available right now.",
    },
    "removed": {"es": "Quité {name} del carrito.", "en": "Removed {name} from your cart."},
    "removed_some": {
        "es": "Quité {qty} × {name}; quedan {left}.",
        "en": "Removed {qty} × {name}; {left} left.",
    },
    "not_in_cart": {"es": "{name} no está en tu carrito.", "en": "{name} isn't in your cart."},
    "quantity_set": {"es": "Listo: {qty} × {name}.", "en": "Done: {qty} × {name}."},
    "which_product": {
        "es": "¿Cuál producto? Dime su nombre o el número de la lista.",
        "en": "Which product? Tell me its name or its number in the list.",
    },
    "how_many": {"es": "¿Cuántos {name} quieres?", "en": "How many {name} would you like?"},
    "bad_index": {
        "es": "No veo el número {index} en la última lista. Elige del 1 al {count}.",
        "en": "There's no number {index} in the last list. Pick 1 to {count}.",
    },
    "cart_empty": {
        "es": "Tu carrito está vacío. ¿Qué te gustaría llevar?",
        "en": "Your cart is empty. What would you like?",
    },
    "cart_header": {"es": "Tu carrito:", "en": "Your cart:"},
    "cart_cleared": {
        "es": "Listo, vacié tu carrito. ¿Qué te gustaría llevar?",
        "en": "Done, your cart is empty now. What would you like?",
    },
    "cart_line": {"es": "• {qty} × {name} — {total}", "en": "• {qty} × {name} — {total}"},
    "subtotal": {"es": "Subtotal: {amount}", "en": "Subtotal: {amount}"},
    "delivery": {"es": "Envío: {amount}", "en": "Delivery: {amount}"},
    "delivery_free": {"es": "Envío: gratis", "en": "Delivery: free"},
    "total": {"es": "Total: {amount}", "en": "Total: {amount}"},
    "free_delivery_hint": {
        "es": "Envío gratis en compras desde {amount}.",
        "en": "Free delivery on orders of {amount} or more.",
    },
    "checkout_confirm_cart": {
        "es": "¿Confirmas tu carrito para continuar con el pedido?",
        "en": "Shall we go ahead with this cart?",
    },
    "ask_address": {"es": "¿A qué dirección te lo enviamos?", "en": "What's the delivery address?"},
    "ask_address_again": {
        "es": "Necesito la dirección completa (calle, número y colonia) para el envío.",
        "en": "I need the full delivery address (street, number, city).",
    },
    "ask_payment": {
        "es": "¿Cómo quieres pagar? {methods}",
        "en": "How would you like to pay? {methods}",
    },
    "ask_payment_again": {
        "es": "Elige una forma de pago: {methods}",
        "en": "Please pick a payment method: {methods}",
    },
    "confirm_order": {
        "es": "Revisemos tu pedido:\n{summary}\nEnvío a: {address}\nPago: {payment}\n¿Lo confirmo?",
        "en": "Let's review your order:\n{summary}\nDeliver to: {address}\nPayment: {payment}\nShall I place it?",
    },
    "cart_changed": {
        "es": "Ojo: tu carrito cambió desde el resumen anterior.",
        "en": "Heads up: your cart changed since the last summary.",
    },
    "order_placed": {
        "es": "¡Pedido #{order} confirmado! Total: {total}. Te lo enviamos a {address}. ¡Gracias!",
        "en": "Order #{order} is confirmed! Total: {total}. We'll deliver to {address}. Thank you!",
    },
    "order_failed_stock": {
        "es": "Ups, ya solo quedan {available} de {name}. Ajusté tu carrito; revísalo antes de pagar.",
        "en": "Oops, only {available} of {name} are left. I adjusted your cart; please review it.",
    },
    "order_failed_unavailable": {
        "es": "{name} ya no está disponible; lo quité de tu carrito.",
        "en": "{name} is no longer available; I removed it from your cart.",
    },
    "checkout_cancelled": {
        "es": "Listo, cancelé el pedido. Tu carrito sigue guardado por si cambias de opinión.",
        "en": "Done, I cancelled the checkout. Your cart is saved if you change your mind.",
    },
    "checkout_paused": {
        "es": 'Va, sigue editando tu carrito; cuando quieras escribe "pagar".',
        "en": 'Sure, keep editing your cart; say "checkout" when you\'re ready.',
    },
    "nothing_to_cancel": {"es": "No hay nada que cancelar.", "en": "There's nothing to cancel."},
    "approval_confirmed_added": {
        "es": "¡Buenas noticias! {business} confirmó {name} a {price}. Lo agregué a tu carrito ({qty}).",
        "en": "Good news! {business} confirmed {name} at {price}. I added it to your cart ({qty}).",
    },
    "approval_confirmed": {
        "es": "¡Buenas noticias! {business} confirmó que tiene {name} a {price}. ¿Lo agrego?",
        "en": "Good news! {business} confirmed they have {name} at {price}. Shall I add it?",
    },
    "approval_rejected": {
        "es": "{business} no tiene {name} por ahora, lo siento.",
        "en": "Sorry, {business} doesn't have {name} right now.",
    },
    "approval_alternatives": {"es": "Quizá te sirva:", "en": "Maybe one of these helps:"},
    "owner_unconfirmed": {
        "es": "Solicitud #{number}: {who} por {name} ({sku}, {price}):\n{quote}\n¿Lo tienes disponible?",
        "en": "Request #{number}: {who} for {name} ({sku}, {price}):\n{quote}\nIs it available?",
    },
    "owner_new_product": {
        "es": "Solicitud #{number}: {who} por algo que no está en tu catálogo:\n{quote}\n¿Lo puedes vender? Responde con precio por la API o confirma aquí.",
        "en": "Request #{number}: {who} for something that isn't in your catalog:\n{quote}\nCan you sell it? Answer with a price via the API, or confirm here.",
    },
    "unsupported_type": {
        "es": "Por ahora solo puedo leer texto y los botones de este chat. ¿Me lo escribes, por favor?",
        "en": "For now I can only read text and this chat's buttons. Could you type it for me, please?",
    },
    "owner_answered": {
        "es": "Listo: la solicitud #{id} quedó {status}. Ya le avisé al cliente.",
        "en": "Done: request #{id} is {status}. I've told the customer.",
    },
    "owner_already": {
        "es": "La solicitud #{id} ya estaba respondida.",
        "en": "Request #{id} was already answered.",
    },
    "owner_needs_price": {
        "es": 'Para agregar "{query}" al catálogo necesito su precio: respóndela con la API de gestión (POST /management/inventory_response).',
        "en": 'To add "{query}" to the catalog I need its price: answer it with the management API (POST /management/inventory_response).',
    },
    "owner_help": {
        "es": "Hola, {agent} aquí. Tienes {n} solicitud(es) pendiente(s); respóndelas con sus botones o con la API de gestión.",
        "en": "Hi, {agent} here. You have {n} pending request(s); answer them with their buttons or the management API.",
    },
    "status_confirmed": {"es": "confirmada", "en": "confirmed"},
    "status_rejected": {"es": "rechazada", "en": "rejected"},
    # shared approvals and questions for the owner (tools/asks.py, graph/approvals.py)
    "owner_one_customer": {"es": "un cliente pregunta", "en": "a customer is asking"},
    "owner_n_customers": {"es": "{n} clientes preguntan", "en": "{n} customers are asking"},
    "owner_question": {
        "es": "Pregunta #{number}: {who}, y tus datos no lo responden:\n{quote}\nResponde a este mensaje (deslízalo) con tu respuesta: se la envío a quienes preguntaron y la guardo en tus preguntas frecuentes.",
        "en": "Question #{number}: {who}, and your data doesn't answer it:\n{quote}\nReply to this message (swipe it) with your answer: I'll send it to everyone who asked and save it to your FAQ.",
    },
    "owner_question_answered": {
        "es": "Listo: le envié tu respuesta a la pregunta #{number} a {n} cliente(s).",
        "en": "Done: I sent your answer to question #{number} to {n} customer(s).",
    },
    "owner_question_saved": {
        "es": "También la guardé en tus preguntas frecuentes.",
        "en": "I also saved it to your FAQ.",
    },
    "owner_question_already": {
        "es": "La pregunta #{number} ya estaba respondida.",
        "en": "Question #{number} was already answered.",
    },
    "question_answered": {
        "es": "{business} respondió a tu pregunta:\n{question}\n\n{answer}",
        "en": "{business} answered your question:\n{question}\n\n{answer}",
    },
    "requests_capped": {
        "es": "{business} ya tiene tus solicitudes de hoy; te aviso en cuanto responda. Mientras, puedo ayudarte con lo que sí tenemos.",
        "en": "{business} already has your requests for today; I'll let you know as soon as they answer. Meanwhile, I can help with what we do have.",
    },
    # --- answers about the business (tools/knowledge_answer.py); figures from the database
    "kn_week": {"es": "Nuestro horario: {week}.", "en": "Our hours: {week}."},
    "kn_open_now": {
        "es": "Ahora mismo estamos abiertos, hasta las {closes}.",
        "en": "We're open right now, until {closes}.",
    },
    "kn_closed_now": {
        "es": "Ahora mismo estamos cerrados; abrimos el {day} a las {opens}.",
        "en": "We're closed right now; we open on {day} at {opens}.",
    },
    "kn_closed_now_reopens_today": {
        "es": "Ahora mismo estamos cerrados; hoy abrimos a las {opens}.",
        "en": "We're closed right now; we open today at {opens}.",
    },
    "kn_day_open": {"es": "El {day} abrimos {ranges}.", "en": "On {day} we're open {ranges}."},
    "kn_day_closed": {"es": "El {day} estamos cerrados.", "en": "On {day} we're closed."},
    "kn_and": {"es": "y", "en": "and"},
    "kn_closed": {"es": "cerrado", "en": "closed"},
    "kn_days": {
        "es": "lunes|martes|miércoles|jueves|viernes|sábado|domingo",
        "en": "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
    },
    "kn_days_short": {"es": "lun|mar|mié|jue|vie|sáb|dom", "en": "Mon|Tue|Wed|Thu|Fri|Sat|Sun"},
    "kn_fee": {
        "es": "El envío cuesta {fee} y es gratis en pedidos desde {free}.",
        "en": "Delivery costs {fee}, and it's free on orders of {free} or more.",
    },
    "kn_fee_flat": {"es": "El envío cuesta {fee}.", "en": "Delivery costs {fee}."},
    "kn_fee_free_over": {
        "es": "El envío es gratis en pedidos desde {free}.",
        "en": "Delivery is free on orders of {free} or more.",
    },
    "kn_fee_none": {"es": "El envío no tiene costo.", "en": "Delivery is free."},
    "kn_payment": {"es": "Aceptamos {methods}.", "en": "We accept {methods}."},
    "kn_payment_yes": {
        "es": "Sí, aceptamos {method}. Formas de pago: {methods}.",
        "en": "Yes, we accept {method}. Payment methods: {methods}.",
    },
    "kn_ask_owner": {
        "es": "Buena pregunta. No tengo ese dato, así que ya se lo pregunté a {business}; te aviso en cuanto me respondan.",
        "en": "Good question. I don't have that information, so I've asked {business}; I'll let you know as soon as they answer.",
    },
    # button and list labels: ≤ 20 characters (Meta's limit)
    "btn_view_cart": {"es": "Ver carrito", "en": "View cart"},
    "btn_checkout": {"es": "Pagar", "en": "Checkout"},
    "btn_add": {"es": "Agregar", "en": "Add"},
    "btn_continue": {"es": "Continuar", "en": "Continue"},
    "btn_edit_cart": {"es": "Editar carrito", "en": "Edit cart"},
    "btn_confirm": {"es": "Confirmar", "en": "Confirm"},
    "btn_cancel": {"es": "Cancelar", "en": "Cancel"},
    "btn_reject": {"es": "Rechazar", "en": "Reject"},
    "list_products": {"es": "Ver productos", "en": "See products"},
    "list_categories": {"es": "Ver categorías", "en": "Browse"},
    "list_payment": {"es": "Formas de pago", "en": "Payment methods"},
    # needs, browsing, picking from a list (issue 12 §2, issue 13 §4)
    "need_results": {"es": "Te pueden servir:", "en": "These could help:"},
    "browse_header": {
        "es": "Esto es lo que vendemos en {business}. Elige una categoría:",
        "en": "Here's what {business} sells. Pick a category:",
    },
    "browse_row": {"es": "{n} productos", "en": "{n} products"},
    "pick_which": {
        "es": "¿Cuál de estos?",
        "en": "Which of these?",
    },
    "pick_sizes_unknown": {
        "es": "No sé comparar los tamaños de estos productos. ¿Cuál de estos?",
        "en": "I can't compare the sizes of these. Which of these?",
    },
    # --- issue 13, checkout: addresses, asking instead of guessing ---
    "btn_use_address": {"es": "Usar", "en": "Use"},
    "address_taken": {"es": "Envío a: {address}", "en": "Delivering to: {address}"},
    "search_none_quiet": {
        "es": 'No encontré "{query}" en el catálogo.',
        "en": 'I couldn\'t find "{query}" in the catalog.',
    },
    "search_none_offer": {
        "es": 'No encontré "{query}" en el catálogo. ¿Quieres que le pregunte a {business} si lo puede conseguir?',
        "en": 'I couldn\'t find "{query}" in the catalog. Shall I ask {business} whether they can get it?',
    },
    "btn_ask_owner": {"es": "Sí, pregúntale", "en": "Yes, ask them"},
    "ask_packs": {
        "es": "{name} se vende por paquete de {size} piezas. ¿Cuántos paquetes quieres: {packs} (para tus {quantity} piezas) o {quantity} paquetes?",
        "en": "{name} comes in a pack of {size}. How many packs: {packs} (for your {quantity}) or {quantity} packs?",
    },
    "btn_packs": {"es": "{n} paquete(s)", "en": "{n} pack(s)"},
    "no_saved_address": {
        "es": "Aún no tengo una dirección tuya guardada. ¿Me escribes la dirección completa (calle, número y colonia)?",
        "en": "I don't have an address saved for you yet. Could you type the full address (street, number, city)?",
    },
}


# The owner loop's texts (order statuses, notices, hand-off), kept in their own module.
TEXTS.update(OWNER_TEXTS)


def t(key: str, lang: Lang, **values: object) -> str:
    return TEXTS[key][lang].format(**values)


def language_of(locale: str | None, fallback: str) -> Lang:
    """A customer's language (customers.locale, as they last wrote), else the business's:
    what messages we send unasked (outcomes, answers, order updates) are written in."""
    for candidate in (locale, fallback):
        if candidate in ("es", "en"):
            return candidate  # type: ignore[return-value]
    return "es"
