"""Crowd simulation: arrival waves, screening queues at the gates, zone occupancy (SimPy).

Only this package imports simpy.
"""

from optimizer.simulation.runner import SimulationRun, Simulator, simulate, simulate_detailed
from optimizer.simulation.service import service_cv, service_mean_s

__all__ = [
    "SimulationRun",
    "Simulator",
    "service_cv",
    "service_mean_s",
    "simulate",
    "simulate_detailed",
]
