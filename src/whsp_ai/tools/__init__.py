"""Business operations the graph performs: catalog search, cart, checkout, approvals.

Plain async functions taking the tenant as keyword arguments; `graph/tools.py` wraps
them as LangChain tools whose tenant comes from the runtime context, never from the model.
"""
