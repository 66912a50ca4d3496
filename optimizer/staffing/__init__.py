"""Officers needed per post and slot: Erlang C, the simulated lane search and the post rules."""
