"""Publishing the graph: the static linked-data site of ``kg publish`` and the pages and
descriptions ``kg serve`` shares with it."""
