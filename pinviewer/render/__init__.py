"""Paper: one painter for the PDF and the printer."""
