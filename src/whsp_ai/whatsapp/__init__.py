"""The WhatsApp Cloud API channel: payload models, signatures, builders, client, queue, sender."""
