"""督办: the follow-up papers behind the decisions page — a printable 督办单 per item, a 催办 list per
department — and the 督办通报 (bulletin) that ranks departments over a period."""
