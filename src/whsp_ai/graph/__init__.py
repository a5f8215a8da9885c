"""The sales conversation as a LangGraph state machine, and the owner-approval graph."""
