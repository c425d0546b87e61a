// POSTGRES (warehouse): the event goes to the batch_rt queue as it is; the warehouse service maps it to tables and
// columns when it stages it (warehouse-service/README.md), with the destination's settings of that moment.
lib.type(message);
return message;
