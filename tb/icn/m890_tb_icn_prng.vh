// SPDX-License-Identifier: Apache-2.0
// m890_tb_icn_prng.vh -- xorshift generators shared by the ICN bench's source, sink and channel.
// The source and the sink must draw the same packet stream, so they share one definition
// (models/icn_model.py mirrors it in Python). Included inside a module body; test-only.
  function [63:0] xs64;
    input [63:0] x;
    reg [63:0] y;
    begin
      y = x ^ (x << 13);
      y = y ^ (y >> 7);
      xs64 = y ^ (y << 17);
    end
  endfunction
  function [31:0] xs32;
    input [31:0] x;
    reg [31:0] y;
    begin
      y = x ^ (x << 13);
      y = y ^ (y >> 17);
      xs32 = y ^ (y << 5);
    end
  endfunction
