"""The arithmetic of fees and mileage: pure functions of Decimals, so that every rule about
money is written once and tested at its edges (a penny, a block, the 10,000th mile)."""

import math
from dataclasses import dataclass
from decimal import Decimal

from catalogue.models import PaymentPolicy, RateUnit, Vehicle, to_pence

ZERO = Decimal("0.00")


def fee_for(
    *, unit: str, amount: Decimal, block_hours: Decimal | None, preparation_hours: Decimal, hours: Decimal
) -> Decimal:
    """The fee for `hours` of involvement at a rate. Preparation hours the rate adds are paid
    on top; a block rate pays each block begun (3 hours 10 minutes at "up to 3 hours" is
    two blocks); a fixed fee is the same however long it took. No time recorded, no fee."""
    if hours <= 0:
        return ZERO
    paid_hours = hours + preparation_hours
    if unit == RateUnit.HOUR:
        return to_pence(amount * paid_hours)
    if unit == RateUnit.BLOCK:
        if not block_hours or block_hours <= 0:
            raise ValueError("A block rate needs its hours")
        return to_pence(amount * math.ceil(paid_hours / block_hours))
    return to_pence(amount)


@dataclass(frozen=True)
class Mileage:
    amount: Decimal
    workings: str


def _pence(rate: Decimal) -> str:
    pence = rate * 100
    return f"{pence.normalize():f}p" if pence < 100 else f"£{rate:.2f}"


def _miles(miles: Decimal) -> str:
    number = f"{miles.normalize():f}"
    return f"{number} mile" if miles == 1 else f"{number} miles"


def mileage_for(
    *, policy: PaymentPolicy, vehicle: str, miles: Decimal, passengers: int, car_miles_before: Decimal
) -> Mileage:
    """HMRC's approved mileage: a car's first `car_step_miles` business miles in a tax year at
    the first rate, the rest at the second; motorcycles and bicycles at their own rate; and a
    passenger rate per passenger per mile (cars and vans only)."""
    parts: list[str] = []
    if vehicle == Vehicle.CAR:
        at_first = max(Decimal(0), min(miles, Decimal(policy.car_step_miles) - car_miles_before))
        at_second = miles - at_first
        amount = at_first * policy.car_rate + at_second * policy.car_rate_after_step
        if at_first:
            parts.append(f"{_miles(at_first)} at {_pence(policy.car_rate)}")
        if at_second:
            parts.append(
                f"{_miles(at_second)} at {_pence(policy.car_rate_after_step)} "
                f"(past {policy.car_step_miles:,} miles this tax year)"
            )
        if passengers:
            amount += miles * passengers * policy.passenger_rate
            who = "1 passenger" if passengers == 1 else f"{passengers} passengers"
            parts.append(f"{who} at {_pence(policy.passenger_rate)} a mile")
    else:
        rate = policy.motorcycle_rate if vehicle == Vehicle.MOTORCYCLE else policy.bicycle_rate
        amount = miles * rate
        parts.append(f"{_miles(miles)} at {_pence(rate)}")
    return Mileage(amount=to_pence(amount), workings="; ".join(parts))
