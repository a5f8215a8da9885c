"""Understanding customer messages: the offline (rule-based) and Vertex (Gemini) providers."""
