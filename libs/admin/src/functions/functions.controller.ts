import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { AdminController } from '../admin-controller.decorator';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CreateFunctionDto } from './dto/create-function.dto';
import type { FunctionResponse } from './dto/function-response.dto';
import { ListFunctionsQueryDto } from './dto/list-functions-query.dto';
import { UpdateFunctionDto } from './dto/update-function.dto';
import { FunctionsService } from './functions.service';

const FunctionId = () => Param('id', new ParseIdPipe('function'));

@AdminController('functions')
export class FunctionsController {
  constructor(private readonly functions: FunctionsService) {}

  @Get()
  list(@Query() query: ListFunctionsQueryDto): Promise<FunctionResponse[]> {
    return this.functions.list(query);
  }

  @Post()
  create(@Body() dto: CreateFunctionDto): Promise<FunctionResponse> {
    return this.functions.create(dto);
  }

  @Get(':id')
  get(@FunctionId() id: string): Promise<FunctionResponse> {
    return this.functions.get(id);
  }

  @Patch(':id')
  update(@FunctionId() id: string, @Body() dto: UpdateFunctionDto): Promise<FunctionResponse> {
    return this.functions.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@FunctionId() id: string): Promise<void> {
    return this.functions.remove(id);
  }
}
