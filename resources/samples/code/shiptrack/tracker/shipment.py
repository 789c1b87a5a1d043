"""Shipments, their status history and ETA estimates."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum


class Status(Enum):
    CREATED = "created"
    IN_TRANSIT = "in_transit"
    CUSTOMS = "customs"
    DELIVERED = "delivered"


@dataclass
class Shipment:
    shipment_id: str
    origin: str
    destination: str
    history: list = field(default_factory=list)

    def update(self, status: Status, when: datetime) -> None:
        """Record a status change; times must not go backwards."""
        if self.history and when < self.history[-1][1]:
            raise ValueError(f"{self.shipment_id}: status time {when} is before {self.history[-1][1]}")
        self.history.append((status, when))

    @property
    def status(self) -> Status:
        return self.history[-1][0] if self.history else Status.CREATED


def estimate_eta(shipment: Shipment, distance_km: float, speed_kmh: float = 62.0) -> datetime:
    """Estimate the arrival time from the last update, adding a day when the shipment is in customs."""
    if speed_kmh <= 0:
        raise ValueError("speed must be positive")
    _, last = shipment.history[-1]
    eta = last + timedelta(hours=distance_km / speed_kmh)
    if shipment.status is Status.CUSTOMS:
        eta += timedelta(days=1)
    return eta
