"""The owner loop's texts (es, en): order statuses, new-order and hand-off notices, typed
answers. Kept apart from texts.py, which merges them into TEXTS, so parallel work on the
conversation's texts and on the owner's don't touch the same lines."""

from typing import Literal

OWNER_TEXTS: dict[str, dict[Literal["es", "en"], str]] = {
    "order_status_paid": {
        "es": "{business}: recibimos el pago de tu pedido #{order}. ¡Gracias!",
        "en": "{business}: we received the payment for your order #{order}. Thank you!",
    },
    "order_status_shipped": {
        "es": "{business}: tu pedido #{order} va en camino a {address}.",
        "en": "{business}: your order #{order} is on its way to {address}.",
    },
    "order_status_delivered": {
        "es": "{business}: tu pedido #{order} fue entregado. ¡Gracias por tu compra!",
        "en": "{business}: your order #{order} was delivered. Thank you for shopping with us!",
    },
    "order_status_cancelled": {
        "es": "{business}: tu pedido #{order} fue cancelado. Si tienes dudas, escríbenos aquí.",
        "en": "{business}: your order #{order} was cancelled. Any questions, write to us here.",
    },
    "owner_new_order": {
        "es": "Nuevo pedido #{order} de {customer}:\n{lines}\nTotal: {total}\nEnvío a: {address}\nPago: {payment}",
        "en": "New order #{order} from {customer}:\n{lines}\nTotal: {total}\nDeliver to: {address}\nPayment: {payment}",
    },
    "handoff_customer": {
        "es": "Le avisé a {business}: una persona del equipo te contestará por aquí en cuanto pueda.",
        "en": "I've told {business}: a person from the team will answer you here as soon as they can.",
    },
    "handoff_owner": {
        "es": "{customer} quiere hablar con una persona. Sus últimos mensajes:\n{messages}\nRespóndele desde el panel; cuando termines, devuélvele la conversación al agente.",
        "en": "{customer} wants to talk to a person. Their last messages:\n{messages}\nAnswer from the dashboard; when you're done, hand the conversation back to the agent.",
    },
    "handoff_back": {
        "es": "Soy {agent} otra vez, de {business}. ¿En qué más te ayudo?",
        "en": "{agent} here again, from {business}. What else can I help you with?",
    },
    "owner_typed_help": {
        "es": 'Para responder la solicitud #{id} escribe el precio y las existencias (por ejemplo "1200 3"), o "no" para rechazarla.',
        "en": 'To answer request #{id}, type the price and stock (for example "1200 3"), or "no" to reject it.',
    },
}
