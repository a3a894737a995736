"""A jurisdiction's yearly cycle: its calendar and the deadlines it gives each sheet."""
