"""The one outbound-network seam shared by every engine."""
