"""`whsp-ai bench`: the end-to-end load test, the LangGraph floor, the in-process engine bench."""
