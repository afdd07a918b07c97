// Every flavor, for programs that use several in one translation unit.
#pragma once

#include "rcu/flavor/bp.h"
#include "rcu/flavor/mb.h"
#include "rcu/flavor/memb.h"
#include "rcu/flavor/qsbr.h"
#include "rcu/flavor/signal.h"
