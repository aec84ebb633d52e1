"""Click commands of ``kg``: each parses options, calls the library and renders."""
